// Dotprompt's Picoschema → schema IR, as its spec defines it (optional fields are also nullable).
import type { SchemaContext } from "./context.js";
import { fail, isRecord, looksLikeJsonSchema, rejectProtoName } from "./context.js";
import { fromJsonSchema } from "./json-schema-in.js";
import type { ObjectNode, ObjectProperty, SchemaNode } from "./ir.js";
import type { SchemaPath } from "./locate.js";
import { didYouMean } from "../diagnostics/index.js";

const SCALARS = ["string", "number", "integer", "boolean", "null", "any"];
const WILDCARD = "(*)";

/** Any schema value: a Picoschema string or mapping, or JSON Schema passed through. */
export function fromSchemaValue(value: unknown, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  if (typeof value === "string") return fromScalar(value, path, ctx);
  if (isRecord(value)) {
    if (!looksLikeJsonSchema(value)) return fromPicoObject(value, path, ctx);
    // Dotprompt's rule: a whole input or output schema with `properties` and no `type` is an object.
    const rootObject = path.length === 0 && !("type" in value) && isRecord(value["properties"]) && !["anyOf", "oneOf", "enum", "const"].some((k) => k in value);
    return fromJsonSchema(rootObject ? { type: "object", ...value } : value, path, ctx);
  }
  if (typeof value === "boolean") return fromJsonSchema(value, path, ctx); // JSON Schema's `true` (anything) and `false` (nothing)
  return fail(ctx, path, "value", "a schema must be a type name (`string, a description`) or a mapping of fields");
}

/** `type, description`: the description is everything after the first comma. */
function splitDescription(text: string): [string, string | undefined] {
  const comma = text.indexOf(",");
  if (comma === -1) return [text.trim(), undefined];
  return [text.slice(0, comma).trim(), text.slice(comma + 1).trim() || undefined];
}

/** Type names from other languages, and what to write in Picoschema instead. */
const TYPE_ALIASES: Record<string, string> = {
  int: "did you mean `integer`?", long: "did you mean `integer`?", float: "did you mean `number`?", double: "did you mean `number`?",
  decimal: "did you mean `number`?", bool: "did you mean `boolean`?", str: "did you mean `string`?", text: "did you mean `string`?",
  list: "a list is written `field(array): <item type>`", array: "a list is written `field(array): <item type>`",
  dict: "an object is written `field(object): { … }`", map: "an object is written `field(object): { … }`", object: "an object is written `field(object): { … }`",
};

function fromScalar(text: string, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  const [type, description] = splitDescription(text);
  let node: SchemaNode;
  if (SCALARS.includes(type)) {
    node = type === "any" ? { kind: "any" } : type === "null" ? { kind: "null" } : type === "string" ? { kind: "string" }
      : type === "boolean" ? { kind: "boolean" } : { kind: "number", integer: type === "integer" };
  } else {
    const named = ctx.named.get(type);
    if (!named) {
      const alias = Object.hasOwn(TYPE_ALIASES, type.toLowerCase()) ? TYPE_ALIASES[type.toLowerCase()] : undefined;
      ctx.diagnostics.error("PC1102", `unknown type \`${type}\``, ctx.locate(path, "value"),
        alias ?? didYouMean(type, [...SCALARS, ...ctx.named.keys()]) ?? `use ${SCALARS.join(", ")}, or a schema named in promptc.config.yaml`);
      return { kind: "any" };
    }
    node = structuredClone(named);
  }
  if (description !== undefined) node.description = description;
  return node;
}

function fromPicoObject(obj: Record<string, unknown>, path: SchemaPath, ctx: SchemaContext): ObjectNode {
  const properties: ObjectProperty[] = [];
  let additional: ObjectNode["additional"] = false;
  for (const [key, value] of Object.entries(obj)) {
    const at = [...path, key];
    if (key === WILDCARD) {
      additional = fromSchemaValue(value, at, ctx);
      continue;
    }
    const open = key.indexOf("(");
    const rawName = (open === -1 ? key : key.slice(0, open)).trim();
    const optional = rawName.endsWith("?");
    const name = optional ? rawName.slice(0, -1) : rawName;
    if (rejectProtoName(ctx, at, name)) continue;
    if (!/^[A-Za-z_$][\w$-]*$/.test(name)) {
      fail(ctx, at, "key", `\`${name}\` is not a valid field name`, "field names start with a letter or _ and contain letters, digits, _ or -");
      continue;
    }
    let schema: SchemaNode;
    if (open === -1) {
      schema = fromSchemaValue(value, at, ctx);
    } else {
      if (!key.endsWith(")")) {
        fail(ctx, at, "key", `\`${key}\` has an unclosed parenthesis`, "write `name(array)`, `name(object)` or `name(enum)`");
        continue;
      }
      const [type, description] = splitDescription(key.slice(open + 1, -1));
      if (type === "array") {
        schema = { kind: "array", items: fromSchemaValue(value, at, ctx) };
      } else if (type === "object") {
        schema = isRecord(value) ? fromPicoObject(value, at, ctx) : fail(ctx, at, "value", "`(object)` needs a mapping of fields");
      } else if (type === "enum") {
        schema = enumFrom(value, at, ctx);
      } else {
        fail(ctx, at, "key", `parenthetical type must be array, object or enum, not \`${type}\``, didYouMean(type, ["array", "object", "enum"]));
        continue;
      }
      if (description !== undefined) schema.description = description;
    }
    if (optional && schema.kind !== "any") schema.nullable = true;
    properties.push({ name, schema, required: !optional });
  }
  return { kind: "object", properties, additional };
}

function enumFrom(value: unknown, path: SchemaPath, ctx: SchemaContext): SchemaNode {
  if (!Array.isArray(value) || value.length === 0) return fail(ctx, path, "value", "`(enum)` needs a list of values, like [a, b, c]");
  return fromJsonSchema({ enum: value }, path, ctx);
}
