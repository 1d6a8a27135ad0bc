// Schema IR → zod schema source, one case per kind. Objects strip unknown keys (z.object), keep
// them (z.looseObject), reject them (z.strictObject, JSON Schema's additionalProperties: false)
// or check them against the wildcard schema (.catchall); enums are z.enum for strings and
// z.literal for anything else; a union is z.union (anyOf), or z.xor when exactly one must match
// (oneOf).
import { CHECKS_IMPORT } from "../../schema/checks-import.js";
import { assertedFormat } from "../../schema/formats.js";
import type { ArrayNode, EnumNode, NumberNode, ObjectNode, ObjectProperty, SchemaNode, StringNode } from "../../schema/ir.js";
import { objectChecks, shadowsPrototype, UNIQUE_MESSAGE } from "../../schema/object-checks.js";
import { propertyKey, stringLiteral } from "../ts-syntax.js";

/** Whether the source calls the runtime's `schemaChecks` (formats, uniqueItems…), so the module imports it. */
export const usesSchemaChecks = (source: string): boolean => source.includes(`${CHECKS_IMPORT}.`);

export function toZodSource(node: SchemaNode): string {
  const base = bareZod(node);
  return node.nullable && node.kind !== "any" && node.kind !== "null" ? `${base}.nullable()` : base;
}

/** A property's schema: optional fields get `.optional()`, or `.nullish()` when also nullable. */
function toZodProperty(p: ObjectProperty): string {
  if (p.required) return toZodSource(p.schema);
  if (p.schema.nullable && p.schema.kind !== "any" && p.schema.kind !== "null") return `${bareZod(p.schema)}.nullish()`;
  return `${toZodSource(p.schema)}.optional()`;
}

function bareZod(node: SchemaNode): string {
  switch (node.kind) {
    case "string":
      return zodString(node);
    case "number":
      return zodNumber(node);
    case "boolean":
      return "z.boolean()";
    case "null":
      return "z.null()";
    case "any":
      return "z.unknown()";
    case "never":
      return "z.never()";
    case "enum":
      return zodEnum(node);
    case "array":
      return zodArray(node);
    case "object":
      return zodObject(node);
    case "union":
      return `${node.exclusive ? "z.xor" : "z.union"}([${node.variants.map(toZodSource).join(", ")}])`;
  }
}

function zodString(node: StringNode): string {
  const format = assertedFormat(node.format);
  let s = format?.source ?? "z.string()";
  if (node.minLength !== undefined) s += `.min(${node.minLength})`;
  if (node.maxLength !== undefined) s += `.max(${node.maxLength})`;
  if (node.pattern !== undefined) s += `.regex(new RegExp(${stringLiteral(node.pattern)}, "u"))`;
  return s;
}

function zodNumber(node: NumberNode): string {
  let s = node.integer ? "z.int()" : "z.number()";
  if (node.minimum !== undefined) s += `.min(${node.minimum})`;
  if (node.maximum !== undefined) s += `.max(${node.maximum})`;
  if (node.exclusiveMinimum !== undefined) s += `.gt(${node.exclusiveMinimum})`;
  if (node.exclusiveMaximum !== undefined) s += `.lt(${node.exclusiveMaximum})`;
  if (node.multipleOf !== undefined) s += `.multipleOf(${node.multipleOf})`;
  return s;
}

function zodEnum(node: EnumNode): string {
  const list = node.values.map((v) => JSON.stringify(v)).join(", ");
  if (node.values.every((v) => typeof v === "string")) return `z.enum([${list}])`;
  return node.values.length === 1 ? `z.literal(${list})` : `z.literal([${list}])`;
}

function zodArray(node: ArrayNode): string {
  let s = `z.array(${toZodSource(node.items)})`;
  if (node.minItems !== undefined) s += `.min(${node.minItems})`;
  if (node.maxItems !== undefined) s += `.max(${node.maxItems})`;
  if (node.uniqueItems) s += `.refine(${CHECKS_IMPORT}.hasUniqueItems, ${JSON.stringify(UNIQUE_MESSAGE)})`;
  return s;
}

function zodObject(node: ObjectNode): string {
  const fields = node.properties.map((p) => `${propertyKey(p.name)}: ${toZodProperty(p)}`).join(", ");
  const shape = fields ? `{ ${fields} }` : "{}";
  let s = node.additional === true ? `z.looseObject(${shape})`
    : node.additional === false ? `${node.rejectExtra ? "z.strictObject" : "z.object"}(${shape})`
    : `z.object(${shape}).catchall(${toZodSource(node.additional)})`;
  for (const c of objectChecks(node)) s += `.refine(${c.source}, ${JSON.stringify(c.message)})`;
  return shadowsPrototype(node) ? `z.preprocess(${CHECKS_IMPORT}.withoutPrototype, ${s})` : s;
}
