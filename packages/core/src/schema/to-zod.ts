// Schema IR → a live zod schema, built at build time (to check fallback values and test
// inputs) and in tests, where it must agree with the emitted zod source.
import { schemaChecks } from "@promptc/runtime";
import { z } from "zod";
import { assertedFormat } from "./formats.js";
import type { ObjectProperty, SchemaNode } from "./ir.js";
import { objectChecks, shadowsPrototype, UNIQUE_MESSAGE } from "./object-checks.js";

export function toZod(node: SchemaNode): z.ZodType {
  const base = bare(node);
  return node.nullable && node.kind !== "any" && node.kind !== "null" ? base.nullable() : base;
}

function property(p: ObjectProperty): z.ZodType {
  if (p.required) return toZod(p.schema);
  if (p.schema.nullable && p.schema.kind !== "any" && p.schema.kind !== "null") return bare(p.schema).nullish();
  return toZod(p.schema).optional();
}


function bare(node: SchemaNode): z.ZodType {
  switch (node.kind) {
    case "string": {
      let s = z.string();
      if (node.minLength !== undefined) s = s.min(node.minLength);
      if (node.maxLength !== undefined) s = s.max(node.maxLength);
      if (node.pattern !== undefined) s = s.regex(new RegExp(node.pattern, "u"));
      const format = assertedFormat(node.format);
      return format ? s.refine(format.test, format.message) : s;
    }
    case "number": {
      let s = node.integer ? z.int() : z.number();
      if (node.minimum !== undefined) s = s.min(node.minimum);
      if (node.maximum !== undefined) s = s.max(node.maximum);
      if (node.exclusiveMinimum !== undefined) s = s.gt(node.exclusiveMinimum);
      if (node.exclusiveMaximum !== undefined) s = s.lt(node.exclusiveMaximum);
      if (node.multipleOf !== undefined) s = s.multipleOf(node.multipleOf);
      return s;
    }
    case "boolean":
      return z.boolean();
    case "null":
      return z.null();
    case "never":
      return z.never();
    case "any":
      return z.unknown();
    case "enum":
      if (node.values.every((v) => typeof v === "string")) return z.enum(node.values as [string, ...string[]]);
      return z.literal(node.values);
    case "array": {
      let s = z.array(toZod(node.items));
      if (node.minItems !== undefined) s = s.min(node.minItems);
      if (node.maxItems !== undefined) s = s.max(node.maxItems);
      return node.uniqueItems ? s.refine(schemaChecks.hasUniqueItems, UNIQUE_MESSAGE) : s;
    }
    case "object": {
      const shape = Object.fromEntries(node.properties.map((p) => [p.name, property(p)]));
      let s: z.ZodType =
        node.additional === true ? z.looseObject(shape)
        : node.additional === false ? (node.rejectExtra ? z.strictObject(shape) : z.object(shape))
        : z.object(shape).catchall(toZod(node.additional));
      for (const c of objectChecks(node)) s = s.refine(c.test as (o: unknown) => boolean, c.message);
      return shadowsPrototype(node) ? z.preprocess(schemaChecks.withoutPrototype, s) : s;
    }
    case "union": {
      const variants = node.variants.map(toZod) as [z.ZodType, z.ZodType, ...z.ZodType[]];
      return node.exclusive ? z.xor(variants) : z.union(variants);
    }
  }
}
