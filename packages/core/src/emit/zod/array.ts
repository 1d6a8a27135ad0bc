// Zod source for array nodes.
import type { ArrayNode } from "../../schema/ir.js";

export function zodArray(node: ArrayNode, item: string): string {
  let s = `z.array(${item})`;
  if (node.minItems !== undefined) s += `.min(${node.minItems})`;
  if (node.maxItems !== undefined) s += `.max(${node.maxItems})`;
  return s;
}
