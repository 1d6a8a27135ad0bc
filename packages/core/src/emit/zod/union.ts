// Zod source for union nodes.
export function zodUnion(variants: string[]): string {
  return `z.union([${variants.join(", ")}])`;
}
