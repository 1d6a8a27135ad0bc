// The object keywords zod has no method for (minProperties, maxProperties, dependentRequired),
// as checks with their source, so the live schema and the generated one refine the same way.
import type { ObjectNode } from "./ir.js";

export interface ObjectCheck {
  test: (o: Record<string, unknown>) => boolean;
  /** The same test as source, for generated validators. */
  source: string;
  message: string;
}

export const UNIQUE_MESSAGE = "Expected no two items to be equal";

export function objectChecks(node: ObjectNode): ObjectCheck[] {
  const checks: ObjectCheck[] = [];
  const { minProperties: min, maxProperties: max } = node;
  if (min !== undefined) checks.push({ test: (o) => Object.keys(o).length >= min, source: `(o) => Object.keys(o).length >= ${min}`, message: `Expected at least ${min} keys` });
  if (max !== undefined) checks.push({ test: (o) => Object.keys(o).length <= max, source: `(o) => Object.keys(o).length <= ${max}`, message: `Expected at most ${max} keys` });
  for (const [key, needs] of Object.entries(node.dependentRequired ?? {})) {
    checks.push({
      test: (o) => !Object.hasOwn(o, key) || needs.every((n) => Object.hasOwn(o, n)),
      source: `(o) => !Object.prototype.hasOwnProperty.call(o, ${JSON.stringify(key)}) || ${JSON.stringify(needs)}.every((n) => Object.prototype.hasOwnProperty.call(o, n))`,
      message: `Expected ${needs.map((n) => `\`${n}\``).join(", ")} when \`${key}\` is present`,
    });
  }
  return checks;
}

/** A property named like one of Object.prototype's, which zod would read through the prototype. */
export function shadowsPrototype(node: ObjectNode): boolean {
  return node.properties.some((p) => !p.required && p.name in Object.prototype);
}
