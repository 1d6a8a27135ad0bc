// The OpenAI strict-mode variant of an output JSON Schema, derived once per prompt at run time
// rather than generated into every module. It must equal @promptc/core's toOpenAIStrict on the
// schema IR; a differential test in core checks that it does.
import type { JsonSchema } from "../contract/prompt.js";
import { wireSchema } from "./wire.js";

type Mutable = { [key: string]: unknown };

/**
 * Keywords OpenAI's strict mode answers 400 for (its structured-outputs guide, "Supported schemas",
 * as of December 2026). They leave the strict schema; the reply is still checked against them here.
 */
export const OPENAI_STRICT_UNSUPPORTED = ["minLength", "maxLength", "uniqueItems", "minProperties", "maxProperties", "dependentRequired"] as const;

/** The string formats OpenAI's strict mode takes; others leave the strict schema, and asserted ones are checked here. */
export const OPENAI_STRICT_FORMATS: readonly string[] = ["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"];

/** Every property required, optional ones nullable, additionalProperties false; `{ value }` around a non-object root when `wrapped`. */
export function toStrictJsonSchema(schema: JsonSchema, wrapped: boolean): JsonSchema {
  return strictify(wireSchema(schema, wrapped));
}

function strictify(schema: JsonSchema): Mutable {
  const { default: _d, examples: _e, title: _t, ...out } = schema as Mutable;
  for (const k of OPENAI_STRICT_UNSUPPORTED) delete out[k];
  if (typeof out["format"] === "string" && !OPENAI_STRICT_FORMATS.includes(out["format"])) delete out["format"];
  // oneOf is not taken: it is sent as anyOf, and "exactly one" is checked on the reply.
  if (Array.isArray(out["oneOf"])) {
    out["anyOf"] = out["oneOf"];
    delete out["oneOf"];
  }
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
