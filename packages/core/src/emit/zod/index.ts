// Schema IR → zod schema source. One function per kind lives beside this dispatcher.
import { CHECKS_IMPORT } from "../../schema/checks-import.js";
import type { ObjectProperty, SchemaNode } from "../../schema/ir.js";
import { zodArray } from "./array.js";
import { zodEnum } from "./enum.js";
import { zodObject } from "./object.js";
import { zodAny, zodBoolean, zodNever, zodNull, zodNumber, zodString } from "./scalars.js";
import { zodUnion } from "./union.js";

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
      return zodBoolean();
    case "null":
      return zodNull();
    case "any":
      return zodAny();
    case "never":
      return zodNever();
    case "enum":
      return zodEnum(node);
    case "array":
      return zodArray(node, toZodSource(node.items));
    case "object":
      return zodObject(node, (i) => toZodProperty(node.properties[i]!), () => toZodSource(node.additional as SchemaNode));
    case "union":
      return zodUnion(node.variants.map(toZodSource), node.exclusive);
  }
}
