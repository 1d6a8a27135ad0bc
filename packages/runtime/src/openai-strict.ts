// The OpenAI strict-mode variant of an output JSON Schema, derived once per prompt at run time
// rather than generated into every module. It must equal @promptc/core's toOpenAIStrict on the
// schema IR; a differential test in core checks that it does.
import type { JsonSchema } from "./types.js";
import { wireSchema } from "./wire.js";

type Mutable = { [key: string]: unknown };

/** Every property required, optional ones nullable, additionalProperties false; `{ value }` around a non-object root when `wrapped`. */
export function toStrictJsonSchema(schema: JsonSchema, wrapped: boolean): JsonSchema {
  return strictify(wireSchema(schema, wrapped));
}

function strictify(schema: JsonSchema): Mutable {
  const { default: _d, examples: _e, title: _t, ...out } = schema as Mutable;
  const properties = out["properties"] as Record<string, JsonSchema> | undefined;
  if (properties) {
    const required = new Set((out["required"] as string[] | undefined) ?? []);
    out["properties"] = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, required.has(k) ? strictify(v) : nullable(strictify(v))]));
    out["required"] = Object.keys(properties);
    out["additionalProperties"] = false;
  }
  if (out["items"]) out["items"] = strictify(out["items"] as JsonSchema);
  if (Array.isArray(out["anyOf"])) out["anyOf"] = (out["anyOf"] as JsonSchema[]).map(strictify);
  return out;
}

function nullable(s: Mutable): Mutable {
  const type = s["type"];
  if (typeof type === "string") return type === "null" ? s : { ...s, type: [type, "null"] };
  if (Array.isArray(type)) return type.includes("null") ? s : { ...s, type: [...type, "null"] };
  if (Array.isArray(s["enum"])) return (s["enum"] as unknown[]).includes(null) ? s : { ...s, enum: [...(s["enum"] as unknown[]), null] };
  if (Array.isArray(s["anyOf"])) return (s["anyOf"] as Mutable[]).some((v) => v["type"] === "null") ? s : { ...s, anyOf: [...(s["anyOf"] as Mutable[]), { type: "null" }] };
  return s;
}
