// JSON Schema (draft 2020-12) → schema IR. Every keyword is either compiled to exactly what the
// specification says it means, or rejected at its line: none is dropped on the way.
// `docs/prompt-format.md` lists them; json-schema-suite.test.ts holds this file to the official suite.
import { didYouMean } from "../diagnostics/index.js";
import { checkValue } from "./check-value.js";
import type { SchemaContext } from "./context.js";
import { fail, isRecord, rejectProtoName } from "./context.js";
import type { ArrayNode, EnumValue, JsonValue, NumberNode, ObjectNode, ObjectProperty, SchemaAnnotations, SchemaNode, StringNode } from "./ir.js";
import { isAnnotation, KEYWORDS_OF, KNOWN, TYPES, UNSUPPORTED, type TypeName } from "./keywords.js";
import type { SchemaPath } from "./locate.js";

export function fromJsonSchema(value: unknown, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  if (value === true) return { kind: "any" };
  if (value === false) return { kind: "never" };
  if (!isRecord(value)) return fail(ctx, path, "value", "a JSON Schema must be a mapping, `true` or `false`");
  let ok = true;
  for (const key of Object.keys(value)) {
    if (KNOWN.has(key) || isAnnotation(key)) continue;
    ok = false;
    if (Object.hasOwn(UNSUPPORTED, key)) fail(ctx, [...path, key], "key", `JSON Schema keyword \`${key}\` is not supported`, UNSUPPORTED[key]);
    else fail(ctx, [...path, key], "key", `unknown JSON Schema keyword \`${key}\``, didYouMean(key, KNOWN) ?? "vendor extensions start with `x-`; see docs/prompt-format.md for the keywords promptc supports");
  }
  if (!ok) return { kind: "any" };
  const node = fromKeywords(value, path, ctx);
  const notes = annotations(value);
  return { ...node, ...notes, ...(node.nullable || notes.nullable ? { nullable: true } : {}) };
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

function fromKeywords(v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const unions = (["anyOf", "oneOf"] as const).filter((k) => k in v);
  if (unions.length) return unionOf(v, unions, path, ctx);
  if ("enum" in v || "const" in v) return enumOf(v, path, ctx);
  return typed(v, path, ctx);
}

/** `anyOf` / `oneOf`. Validation keywords beside them would need an intersection, which promptc does not compile. */
function unionOf(v: Record<string, unknown>, keys: ("anyOf" | "oneOf")[], path: SchemaPath, ctx: SchemaContext): SchemaNode {
  if (keys.length > 1) return fail(ctx, [...path, "oneOf"], "key", "a schema with both `anyOf` and `oneOf` is not supported", "nest one inside a branch of the other");
  const key = keys[0]!;
  const beside = Object.keys(v).find((k) => k !== key && !isAnnotation(k));
  if (beside) return fail(ctx, [...path, beside], "key", `\`${beside}\` beside \`${key}\` is not supported`, `repeat it inside each branch of \`${key}\``);
  const list = v[key];
  if (!Array.isArray(list) || list.length === 0) return fail(ctx, [...path, key], "value", `\`${key}\` needs a non-empty list of schemas`);
  const variants = list.map((x, i) => fromJsonSchema(x, [...path, key, i], ctx));
  if (key === "anyOf") return unionNode(variants);
  return variants.length === 1 ? variants[0]! : { kind: "union", variants, exclusive: true };
}

/** `enum` / `const`, narrowed by whatever else the schema says (`{type: string, enum: [a, 1]}` allows only "a"). */
function enumOf(v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const lists: { key: string; values: unknown[] }[] = [];
  if ("const" in v) lists.push({ key: "const", values: [v["const"]] });
  if ("enum" in v) {
    if (!Array.isArray(v["enum"])) return fail(ctx, [...path, "enum"], "value", "`enum` needs a list of values");
    lists.push({ key: "enum", values: v["enum"] });
  }
  for (const { key, values } of lists) {
    if (values.some((x) => x !== null && typeof x === "object")) {
      return fail(ctx, [...path, key], "value", `\`${key}\` values must be strings, numbers, booleans or null`, "lists and objects as enum values are not supported");
    }
  }
  let values = dedupe(lists[0]!.values as (EnumValue | null)[]);
  if (lists.length === 2) values = values.filter((x) => lists[1]!.values.includes(x));
  const rest = Object.fromEntries(Object.entries(v).filter(([k]) => k !== "enum" && k !== "const"));
  const constrained = Object.keys(rest).some((k) => !isAnnotation(k));
  const at = [...path, lists.length === 2 ? "const" : lists[0]!.key];
  if (constrained) {
    const base = typed(rest, path, ctx);
    const kept = values.filter((x) => checkValue(base, x) === undefined);
    const dropped = values.filter((x) => !kept.includes(x));
    if (dropped.length && kept.length) {
      ctx.diagnostics.warning("PC1103", `${dropped.map((x) => JSON.stringify(x)).join(", ")} in \`${at.at(-1)}\` can never match the rest of this schema`, ctx.locate(at, "value"), "remove the value, or the keyword it conflicts with");
    }
    values = kept;
  }
  if (values.length === 0) return fail(ctx, at, "value", "no value can match this schema", lists.length === 2 || constrained ? "the enum values conflict with the schema's other keywords" : "an empty `enum` allows nothing; list the allowed values");
  const scalars = values.filter((x): x is EnumValue => x !== null);
  if (scalars.length === 0) return { kind: "null" };
  const node: SchemaNode = { kind: "enum", values: scalars };
  return scalars.length === values.length ? node : { ...node, nullable: true };
}

function dedupe<T>(values: T[]): T[] {
  return values.filter((x, i) => values.indexOf(x) === i);
}

/** `type` (one or a list, or none) and the keywords of each type. */
function typed(v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const declared = v["type"];
  let types: TypeName[];
  if (declared === undefined) {
    types = ["null", "boolean", "object", "array", "number", "string"];
  } else {
    const list = Array.isArray(declared) ? declared : [declared];
    const unknown = list.find((t) => !TYPES.includes(t as TypeName));
    if (unknown !== undefined || list.length === 0) {
      return fail(ctx, [...path, "type"], "value", `unknown JSON Schema type \`${String(unknown)}\``, didYouMean(String(unknown), TYPES) ?? "use string, number, integer, boolean, null, object or array");
    }
    types = dedupe(list as TypeName[]);
    if (types.includes("number")) types = types.filter((t) => t !== "integer");
  }
  const used = (Object.keys(KEYWORDS_OF) as (keyof typeof KEYWORDS_OF)[]).filter((group) => KEYWORDS_OF[group].some((k) => k in v));
  if (declared === undefined) {
    if (used.length === 0) return { kind: "any" };
    const first = used.flatMap((g) => KEYWORDS_OF[g].filter((k) => k in v))[0]!;
    const group = used[0]!;
    ctx.diagnostics.warning("PC1103", `without \`type\`, \`${first}\` constrains only ${group === "array" ? "array" : group}s: a value of any other type passes`,
      ctx.locate([...path, first], "key"), `add \`type: ${group}\` if only ${group === "array" ? "array" : group}s are meant`);
  } else {
    for (const group of used) {
      if (types.some((t) => t === group || (group === "number" && t === "integer"))) continue;
      const k = KEYWORDS_OF[group].find((x) => x in v)!;
      ctx.diagnostics.warning("PC1103", `\`${k}\` constrains only ${group}s, and this schema allows no ${group}: it has no effect`, ctx.locate([...path, k], "key"), `remove it, or add ${group} to \`type\``);
    }
  }
  const variants = types.map((t) => ofType(t, v, path, ctx));
  return unionNode(variants);
}

function ofType(type: TypeName, v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const read = keywordReader(v, path, ctx);
  switch (type) {
    case "null":
      return { kind: "null" };
    case "boolean":
      return { kind: "boolean" };
    case "string": {
      const node: StringNode = { kind: "string" };
      set(node, "minLength", read.count("minLength"));
      set(node, "maxLength", read.count("maxLength"));
      set(node, "pattern", read.pattern("pattern"));
      set(node, "format", read.string("format"));
      return node;
    }
    case "number":
    case "integer": {
      const node: NumberNode = { kind: "number", integer: type === "integer" };
      for (const k of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] as const) set(node, k, read.number(k));
      set(node, "multipleOf", read.number("multipleOf", true));
      return node;
    }
    case "array": {
      if (Array.isArray(v["items"])) {
        return fail(ctx, [...path, "items"], "value", "a list under `items` is draft-4 tuple syntax (`prefixItems`), which is not supported", "give `items` one schema for every element");
      }
      const items = "items" in v ? fromJsonSchema(v["items"], [...path, "items"], ctx) : ({ kind: "any" } as const);
      const node: ArrayNode = { kind: "array", items };
      set(node, "minItems", read.count("minItems"));
      set(node, "maxItems", read.count("maxItems"));
      if (read.boolean("uniqueItems")) node.uniqueItems = true;
      return node;
    }
    case "object":
      return objectNode(v, path, ctx);
  }
}

function objectNode(v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const read = keywordReader(v, path, ctx);
  if ("properties" in v && !isRecord(v["properties"])) return fail(ctx, [...path, "properties"], "value", "`properties` needs a mapping of names to schemas");
  const props = (v["properties"] as Record<string, unknown> | undefined) ?? {};
  const required = read.names("required") ?? [];
  for (const name of required) {
    if (!Object.hasOwn(props, name)) fail(ctx, [...path, "required"], "value", `\`required\` names \`${name}\`, which is not in \`properties\``, didYouMean(name, Object.keys(props)));
  }
  if (Object.keys(props).some((name) => rejectProtoName(ctx, [...path, "properties", name], name))) return { kind: "any" };
  const properties: ObjectProperty[] = Object.entries(props).map(([name, schema]) => ({
    name,
    schema: fromJsonSchema(schema, [...path, "properties", name], ctx),
    required: required.includes(name),
  }));
  const ap = v["additionalProperties"];
  const node: ObjectNode = {
    kind: "object",
    properties,
    additional: ap === undefined || ap === true ? true : ap === false ? false : fromJsonSchema(ap, [...path, "additionalProperties"], ctx),
  };
  if (ap === false) node.rejectExtra = true;
  set(node, "minProperties", read.count("minProperties"));
  set(node, "maxProperties", read.count("maxProperties"));
  const dep = v["dependentRequired"];
  if (dep !== undefined) {
    if (!isRecord(dep) || !Object.values(dep).every((x) => Array.isArray(x) && x.every((n) => typeof n === "string"))) {
      fail(ctx, [...path, "dependentRequired"], "value", "`dependentRequired` needs a mapping of names to lists of names");
    } else if (Object.keys(dep).length) {
      node.dependentRequired = dep as Record<string, string[]>;
    }
  }
  return node;
}

/** Reads one keyword's value, failing at it when it has the wrong shape (never ignoring it). */
function keywordReader(v: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext) {
  const wrong = (k: string, what: string): undefined => {
    fail(ctx, [...path, k], "value", `\`${k}\` needs ${what}`);
    return undefined;
  };
  return {
    count(k: string): number | undefined {
      const x = v[k];
      if (x === undefined) return undefined;
      return typeof x === "number" && Number.isInteger(x) && x >= 0 ? x : wrong(k, "a whole number, 0 or more");
    },
    number(k: string, positive = false): number | undefined {
      const x = v[k];
      if (x === undefined) return undefined;
      if (typeof x !== "number" || !Number.isFinite(x)) return wrong(k, k.startsWith("exclusive") ? "a number (draft 2020-12 writes `exclusiveMinimum: 5`, not `true`)" : "a number");
      return positive && x <= 0 ? wrong(k, "a number greater than 0") : x;
    },
    boolean(k: string): boolean | undefined {
      const x = v[k];
      if (x === undefined) return undefined;
      return typeof x === "boolean" ? x : wrong(k, "true or false");
    },
    string(k: string): string | undefined {
      const x = v[k];
      if (x === undefined) return undefined;
      return typeof x === "string" ? x : wrong(k, "a string");
    },
    pattern(k: string): string | undefined {
      const x = v[k];
      if (x === undefined) return undefined;
      if (typeof x !== "string") return wrong(k, "a regular expression, as a string");
      try {
        new RegExp(x, "u");
        return x;
      } catch (e) {
        return wrong(k, `a valid regular expression (ECMA-262, with the u flag): ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "")}`);
      }
    },
    names(k: string): string[] | undefined {
      const x = v[k];
      if (x === undefined) return undefined;
      return Array.isArray(x) && x.every((n) => typeof n === "string") ? (x as string[]) : wrong(k, "a list of property names");
    },
  };
}

function set<T extends object, K extends keyof T>(node: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) node[key] = value;
}

/** A union whose null variant becomes `nullable`, and a one-variant union becomes that variant. */
function unionNode(variants: SchemaNode[]): SchemaNode {
  const nonNull = variants.filter((x) => x.kind !== "null");
  const nullable = nonNull.length !== variants.length;
  if (nonNull.length === 0) return { kind: "null" };
  const node: SchemaNode = nonNull.length === 1 ? nonNull[0]! : { kind: "union", variants: nonNull };
  return nullable ? { ...node, nullable: true } : node;
}
