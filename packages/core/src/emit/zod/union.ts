// Zod source for union nodes: z.union (anyOf), or z.xor when exactly one must match (oneOf).
export function zodUnion(variants: string[], exclusive = false): string {
  return `${exclusive ? "z.xor" : "z.union"}([${variants.join(", ")}])`;
}
