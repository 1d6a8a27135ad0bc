// Reading a model's reply into a validated output.
import { z } from "zod";
import { parseLenient } from "../parse/index.js";
import type { ProviderResponse } from "../providers/types.js";
import type { JsonSchema, PromptMeta } from "../types.js";

export type OutputResult<O> = { ok: true; value: O } | { ok: false; problem: string };

export function readOutput<O>(response: ProviderResponse, meta: PromptMeta, schema: z.ZodType<O>, strictSent: boolean, nullsToDrop = true): OutputResult<O> {
  let candidate: unknown;
  if (meta.output.format === "text") {
    candidate = response.text;
  } else if (response.value !== undefined) {
    candidate = response.value;
  } else {
    // Lenient first: JSON in prose or fences, repairs, enum values in the wrong case…
    const wrapped = strictSent && meta.output.wrapped;
    const wire = wrapped ? { type: "object", properties: { value: meta.output.schema }, required: ["value"] } : (meta.output.schema ?? {});
    // A parser fault must not escape as a raw error: it counts as output that did not fit.
    let lenient: ReturnType<typeof parseLenient>;
    try {
      lenient = parseLenient(response.text, wire);
    } catch {
      lenient = { ok: false, problem: "the reply could not be read" };
    }
    if (lenient.ok) {
      candidate = wrapped ? (lenient.value as { value?: unknown } | null)?.value : lenient.value;
    } else {
      // …and when nothing fits, strict JSON and zod say precisely what is wrong (for the re-ask).
      try {
        candidate = JSON.parse(response.text);
      } catch {
        return { ok: false, problem: "the reply holds no JSON value that fits the output schema" };
      }
      if (wrapped) candidate = (candidate as { value?: unknown } | null)?.value;
    }
  }
  if (strictSent && nullsToDrop && meta.output.schema) candidate = dropStrictNulls(candidate, meta.output.schema);
  const parsed = schema.safeParse(candidate);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: z.prettifyError(parsed.error) };
}

/**
 * Strict mode makes every field required and optional ones nullable, so the model writes null
 * for a field it would have left out. Where the original schema does not allow null, the null
 * means "absent": drop it.
 */
export function dropStrictNulls(value: unknown, schema: JsonSchema): unknown {
  if (Array.isArray(value)) {
    const items = schema["items"] as JsonSchema | undefined;
    return items ? value.map((v) => dropStrictNulls(v, items)) : value;
  }
  if (value === null || typeof value !== "object") return value;
  const properties = schema["properties"] as Record<string, JsonSchema> | undefined;
  if (!properties) return value;
  const required = new Set((schema["required"] as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const prop = properties[k];
    if (v === null && prop && !required.has(k) && !allowsNull(prop)) continue;
    out[k] = prop ? dropStrictNulls(v, prop) : v;
  }
  return out;
}

function allowsNull(s: JsonSchema): boolean {
  const type = s["type"];
  if (type === "null" || (Array.isArray(type) && type.includes("null"))) return true;
  if (Array.isArray(s["enum"]) && (s["enum"] as unknown[]).includes(null)) return true;
  if (Array.isArray(s["anyOf"])) return (s["anyOf"] as JsonSchema[]).some(allowsNull);
  return type === undefined && s["enum"] === undefined && s["anyOf"] === undefined; // untyped: anything
}

/** Whether strict mode can make the model write null where the schema means "absent". */
export function hasOptionalNonNullable(schema: JsonSchema): boolean {
  const properties = schema["properties"] as Record<string, JsonSchema> | undefined;
  if (properties) {
    const required = new Set((schema["required"] as string[] | undefined) ?? []);
    for (const [k, v] of Object.entries(properties)) if ((!required.has(k) && !allowsNull(v)) || hasOptionalNonNullable(v)) return true;
  }
  const items = schema["items"] as JsonSchema | undefined;
  return items ? hasOptionalNonNullable(items) : false;
}
