// Zod source for enum nodes: z.enum for strings, z.literal for anything else.
import type { EnumNode } from "../../schema/ir.js";

export function zodEnum(node: EnumNode): string {
  const list = node.values.map((v) => JSON.stringify(v)).join(", ");
  if (node.values.every((v) => typeof v === "string")) return `z.enum([${list}])`;
  return node.values.length === 1 ? `z.literal(${list})` : `z.literal([${list}])`;
}
