// Zod source for object nodes. Unknown keys are stripped (z.object), kept (z.looseObject)
// or checked against the wildcard schema (.catchall).
import type { ObjectNode } from "../../schema/ir.js";
import { propertyKey } from "../ts-syntax.js";

export function zodObject(node: ObjectNode, field: (i: number) => string, additional: () => string): string {
  const fields = node.properties.map((p, i) => `${propertyKey(p.name)}: ${field(i)}`).join(", ");
  const shape = fields ? `{ ${fields} }` : "{}";
  if (node.additional === true) return `z.looseObject(${shape})`;
  if (node.additional === false) return `z.object(${shape})`;
  return `z.object(${shape}).catchall(${additional()})`;
}
