// Schema IR → a live zod schema, built at build time (to check fallback values and test
// inputs) and in tests, where it must agree with the emitted zod source.
import { z } from "zod";
import { FORMATS } from "./formats.js";
import type { ObjectProperty, SchemaNode } from "./ir.js";

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
      let s = ((node.format && FORMATS[node.format]?.build()) || z.string()) as z.ZodString;
      if (node.minLength !== undefined) s = s.min(node.minLength);
      if (node.maxLength !== undefined) s = s.max(node.maxLength);
      if (node.pattern !== undefined) s = s.regex(new RegExp(node.pattern));
      return s;
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
    case "any":
      return z.unknown();
    case "enum":
      if (node.values.every((v) => typeof v === "string")) return z.enum(node.values as [string, ...string[]]);
      return z.literal(node.values);
    case "array": {
      let s = z.array(toZod(node.items));
      if (node.minItems !== undefined) s = s.min(node.minItems);
      if (node.maxItems !== undefined) s = s.max(node.maxItems);
      return s;
    }
    case "object": {
      const shape = Object.fromEntries(node.properties.map((p) => [p.name, property(p)]));
      if (node.additional === true) return z.looseObject(shape);
      if (node.additional === false) return z.object(shape);
      return z.object(shape).catchall(toZod(node.additional));
    }
    case "union":
      return z.union(node.variants.map(toZod) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  }
}
