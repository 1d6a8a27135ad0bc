// Schema IR → JSON Schema (draft 2020-12), in the shape Dotprompt's Picoschema spec expects.
import type { JsonValue, SchemaNode } from "../../schema/ir.js";

export type JsonSchema = { [key: string]: JsonValue };

export function toJsonSchema(node: SchemaNode): JsonSchema {
  const out: JsonSchema = {};
  const typed = (t: string) => {
    out["type"] = node.nullable ? [t, "null"] : t;
  };
  switch (node.kind) {
    case "any":
      break;
    case "never":
      // Nothing matches; nullable, only null does.
      if (node.nullable) out["type"] = "null";
      else out["not"] = {};
      break;
    case "null":
      out["type"] = "null";
      break;
    case "boolean":
      typed("boolean");
      break;
    case "string":
      typed("string");
      copy(out, node, ["minLength", "maxLength", "pattern", "format"]);
      break;
    case "number":
      typed(node.integer ? "integer" : "number");
      copy(out, node, ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]);
      break;
    case "enum":
      out["enum"] = node.nullable ? [...node.values, null] : [...node.values];
      break;
    case "array":
      typed("array");
      out["items"] = toJsonSchema(node.items);
      copy(out, node, ["minItems", "maxItems", "uniqueItems"]);
      break;
    case "object": {
      typed("object");
      // fromEntries, not assignment: a property may be named `__proto__`.
      out["properties"] = Object.fromEntries(node.properties.map((p) => [p.name, toJsonSchema(p.schema)]));
      const required = node.properties.filter((p) => p.required).map((p) => p.name);
      if (required.length) out["required"] = required;
      if (node.additional !== true) out["additionalProperties"] = node.additional === false ? false : toJsonSchema(node.additional);
      copy(out, node, ["minProperties", "maxProperties", "dependentRequired"]);
      break;
    }
    case "union":
      out[node.exclusive ? "oneOf" : "anyOf"] = [...node.variants.map(toJsonSchema), ...(node.nullable ? [{ type: "null" }] : [])];
      break;
  }
  if (node.description !== undefined) out["description"] = node.description;
  if (node.title !== undefined) out["title"] = node.title;
  if (node.default !== undefined) out["default"] = node.default;
  if (node.examples !== undefined) out["examples"] = node.examples;
  return out;
}

function copy<T extends object>(out: JsonSchema, node: T, keys: (keyof T & string)[]): void {
  for (const k of keys) if (node[k] !== undefined) out[k] = node[k] as JsonValue;
}
