// Zod source for object nodes. Unknown keys are stripped (z.object), kept (z.looseObject),
// rejected (z.strictObject, JSON Schema's additionalProperties: false) or checked against the
// wildcard schema (.catchall).
import { CHECKS_IMPORT } from "../../schema/checks-import.js";
import type { ObjectNode } from "../../schema/ir.js";
import { objectChecks, shadowsPrototype } from "../../schema/object-checks.js";
import { propertyKey } from "../ts-syntax.js";

export function zodObject(node: ObjectNode, field: (i: number) => string, additional: () => string): string {
  const fields = node.properties.map((p, i) => `${propertyKey(p.name)}: ${field(i)}`).join(", ");
  const shape = fields ? `{ ${fields} }` : "{}";
  let s = node.additional === true ? `z.looseObject(${shape})`
    : node.additional === false ? `${node.rejectExtra ? "z.strictObject" : "z.object"}(${shape})`
    : `z.object(${shape}).catchall(${additional()})`;
  for (const c of objectChecks(node)) s += `.refine(${c.source}, ${JSON.stringify(c.message)})`;
  return shadowsPrototype(node) ? `z.preprocess(${CHECKS_IMPORT}.withoutPrototype, ${s})` : s;
}
