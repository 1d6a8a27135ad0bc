// JSON Schema (the subset a model and a validator can agree on) → schema IR.
import type { SchemaContext } from "./context.js";
import { fail, isRecord } from "./context.js";
import type { EnumValue, JsonValue, ObjectProperty, SchemaAnnotations, SchemaNode } from "./ir.js";
import type { SchemaPath } from "./locate.js";

const UNSUPPORTED = ["$ref", "$defs", "definitions", "allOf", "not", "if", "then", "else", "patternProperties", "dependentSchemas", "prefixItems", "contains", "propertyNames", "unevaluatedProperties"];

export function fromJsonSchema(value: unknown, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  if (value === true || (isRecord(value) && Object.keys(value).length === 0)) return { kind: "any" };
  if (!isRecord(value)) return fail(ctx, path, "value", "a JSON Schema must be a mapping");
  for (const key of UNSUPPORTED) {
    if (key in value) {
      return fail(ctx, [...path, key], "key", `JSON Schema keyword \`${key}\` is not supported`,
        key === "$ref" || key === "$defs" ? "name the schema under `schemas:` in promptc.config.yaml and refer to it by name" : "express it with anyOf, enum or constraints");
    }
  }
  const notes = annotations(value);
  let node = fromTyped(value, path, ctx);
  node = { ...node, ...notes, ...(node.nullable || notes.nullable ? { nullable: true } : {}) };
  return node;
}

function annotations(v: Record<string, unknown>): SchemaAnnotations {
  const out: SchemaAnnotations = {};
  if (typeof v["description"] === "string") out.description = v["description"];
  if (typeof v["title"] === "string") out.title = v["title"];
  if ("default" in v) out.default = v["default"] as JsonValue;
  if (Array.isArray(v["examples"])) out.examples = v["examples"] as JsonValue[];
  if (v["nullable"] === true) out.nullable = true; // OpenAPI 3.0 style, common in the wild
  return out;
}

function fromTyped(v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  if ("const" in v) return enumNode([v["const"]], path, ctx);
  if (Array.isArray(v["enum"])) return enumNode(v["enum"], [...path, "enum"], ctx);
  for (const key of ["anyOf", "oneOf"] as const) {
    const list = v[key];
    if (Array.isArray(list)) return unionNode(list.map((x, i) => fromJsonSchema(x, [...path, key, i], ctx)));
  }
  const type = v["type"];
  if (Array.isArray(type)) {
    const nullable = type.includes("null");
    const rest = type.filter((t) => t !== "null");
    if (rest.length === 0) return { kind: "null" };
    const variants = rest.map((t) => fromSingleType(t, v, path, ctx));
    const node = variants.length === 1 ? variants[0]! : { kind: "union" as const, variants };
    return nullable ? { ...node, nullable: true } : node;
  }
  if (type === undefined) {
    if (isRecord(v["properties"])) return fromSingleType("object", v, path, ctx);
    if ("items" in v) return fromSingleType("array", v, path, ctx);
    return { kind: "any" };
  }
  return fromSingleType(type, v, path, ctx);
}

function fromSingleType(type: unknown, v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const num = (k: string): number | undefined => (typeof v[k] === "number" ? (v[k] as number) : undefined);
  switch (type) {
    case "string":
      return strip({ kind: "string", minLength: num("minLength"), maxLength: num("maxLength"),
        pattern: typeof v["pattern"] === "string" ? v["pattern"] : undefined,
        format: typeof v["format"] === "string" ? v["format"] : undefined });
    case "number":
    case "integer":
      return strip({ kind: "number", integer: type === "integer", minimum: num("minimum"), maximum: num("maximum"),
        exclusiveMinimum: num("exclusiveMinimum"), exclusiveMaximum: num("exclusiveMaximum"), multipleOf: num("multipleOf") });
    case "boolean":
      return { kind: "boolean" };
    case "null":
      return { kind: "null" };
    case "array": {
      const items = "items" in v ? fromJsonSchema(v["items"], [...path, "items"], ctx) : ({ kind: "any" } as const);
      return strip({ kind: "array", items, minItems: num("minItems"), maxItems: num("maxItems") });
    }
    case "object":
      return objectNode(v, path, ctx);
    default:
      return fail(ctx, [...path, "type"], "value", `unknown JSON Schema type \`${String(type)}\``,
        "use string, number, integer, boolean, null, object or array");
  }
}

function objectNode(v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const props = isRecord(v["properties"]) ? v["properties"] : {};
  const required = Array.isArray(v["required"]) ? (v["required"] as unknown[]).filter((x): x is string => typeof x === "string") : [];
  for (const name of required) {
    if (!(name in props)) fail(ctx, [...path, "required"], "value", `\`required\` names \`${name}\`, which is not in \`properties\``);
  }
  const properties: ObjectProperty[] = Object.entries(props).map(([name, schema]) => ({
    name,
    schema: fromJsonSchema(schema, [...path, "properties", name], ctx),
    required: required.includes(name),
  }));
  const ap = v["additionalProperties"];
  const additional = ap === undefined || ap === true ? true : ap === false ? false : fromJsonSchema(ap, [...path, "additionalProperties"], ctx);
  return { kind: "object", properties, additional };
}

function enumNode(values: unknown[], path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const nullable = values.includes(null);
  const kept: EnumValue[] = [];
  for (const x of values) {
    if (x === null) continue;
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") kept.push(x);
    else return fail(ctx, path, "value", "enum values must be strings, numbers, booleans or null");
  }
  if (kept.length === 0) return { kind: "null" };
  return nullable ? { kind: "enum", values: kept, nullable: true } : { kind: "enum", values: kept };
}

/** A union whose null variant becomes `nullable`, and a one-variant union becomes that variant. */
export function unionNode(variants: SchemaNode[]): SchemaNode {
  const nonNull = variants.filter((x) => x.kind !== "null");
  const nullable = nonNull.length !== variants.length;
  if (nonNull.length === 0) return { kind: "null" };
  const node: SchemaNode = nonNull.length === 1 ? nonNull[0]! : { kind: "union", variants: nonNull };
  return nullable ? { ...node, nullable: true } : node;
}

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
