// Zod source for array nodes.
import { CHECKS_IMPORT } from "../../schema/checks-import.js";
import type { ArrayNode } from "../../schema/ir.js";
import { UNIQUE_MESSAGE } from "../../schema/object-checks.js";

export function zodArray(node: ArrayNode, item: string): string {
  let s = `z.array(${item})`;
  if (node.minItems !== undefined) s += `.min(${node.minItems})`;
  if (node.maxItems !== undefined) s += `.max(${node.maxItems})`;
  if (node.uniqueItems) s += `.refine(${CHECKS_IMPORT}.hasUniqueItems, ${JSON.stringify(UNIQUE_MESSAGE)})`;
  return s;
}
