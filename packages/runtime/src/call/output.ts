// Reading a model's reply into a validated output.
import type { z } from "zod";
import { parseLenient } from "../parse/index.js";
import type { ProviderResponse } from "../contract/provider.js";
import type { JsonSchema, PromptMeta } from "../contract/prompt.js";
import { prettifyIssues } from "../pure/zod.js";
import { fromWire, wireSchema } from "../pure/wire.js";

export type OutputResult<O> = { ok: true; value: O } | { ok: false; problem: string };

export function readOutput<O>(response: ProviderResponse, meta: PromptMeta, schema: z.ZodType<O>, strictSent: boolean, nullsToDrop = true): OutputResult<O> {
  const validate = (candidate: unknown) =>
    schema.safeParse(strictSent && nullsToDrop && meta.output.schema ? dropStrictNulls(candidate, meta.output.schema) : candidate);
  const result = (parsed: ReturnType<typeof validate>): OutputResult<O> =>
    parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: prettifyIssues(parsed.error.issues) };
  if (meta.output.format === "text") return result(validate(response.text));
  if (response.value !== undefined) return result(validate(response.value));

  const wrapped = meta.output.wrapped;
  // A model that left the wrapper off but wrote the right value is taken at its word.
  const unwrap = (v: unknown) => {
    const inner = fromWire(v, wrapped);
    return inner === undefined && wrapped ? v : inner;
  };
  // Clean JSON that validates, the common case, needs nothing more.
  let strict: ReturnType<typeof validate> | undefined;
  try {
    strict = validate(unwrap(JSON.parse(response.text)));
    if (strict.success) return result(strict);
  } catch {
    /* not JSON: the lenient parser looks for one */
  }
  // Then leniently: JSON in prose or fences, repairs, enum values in the wrong case…
  const wire = meta.output.schema ? wireSchema(meta.output.schema, wrapped) : {};
  let lenient: ReturnType<typeof parseLenient>;
  try {
    lenient = parseLenient(response.text, wire);
  } catch {
    // A parser fault must not escape as a raw error: it counts as output that did not fit.
    lenient = { ok: false, problem: "the reply could not be read" };
  }
  const fitted = lenient.ok ? validate(unwrap(lenient.value)) : undefined;
  if (fitted?.success) return result(fitted);
  // …and when nothing fits, zod says what is wrong with what the model wrote (for the re-ask).
  if (strict) return result(strict);
  if (fitted) return result(fitted);
  return { ok: false, problem: "the reply holds no JSON value that fits the output schema" };
}

/**
 * Strict mode makes every field required and optional ones nullable, so the model writes null
 * for a field it would have left out. Where the original schema does not allow null, the null
 * means "absent": drop it, wherever the field is (an object's properties or its
 * additionalProperties, a list's items, an anyOf branch).
 */
export function dropStrictNulls(value: unknown, schema: JsonSchema): unknown {
  const branches = schema["anyOf"] as JsonSchema[] | undefined;
  if (Array.isArray(branches)) {
    const branch = branchFor(value, branches);
    return branch ? dropStrictNulls(value, branch) : value;
  }
  if (Array.isArray(value)) {
    const items = schema["items"] as JsonSchema | undefined;
    return items ? value.map((v) => dropStrictNulls(v, items)) : value;
  }
  if (value === null || typeof value !== "object") return value;
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  const extra = schema["additionalProperties"];
  const others = extra && typeof extra === "object" ? (extra as JsonSchema) : undefined;
  if (!schema["properties"] && !others) return value;
  const required = new Set((schema["required"] as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const prop = Object.hasOwn(properties, k) ? properties[k] : undefined;
    if (v === null && prop && !required.has(k) && !allowsNull(prop)) continue;
    const sub = prop ?? others;
    out[k] = sub ? dropStrictNulls(v, sub) : v;
  }
  return out;
}

/** The anyOf branch a value was written for: of its kind, and for an object the one naming its keys. */
function branchFor(value: unknown, branches: JsonSchema[]): JsonSchema | undefined {
  const kind = (b: JsonSchema) => {
    const t = b["type"];
    return Array.isArray(t) ? t : t === undefined ? (b["properties"] ? ["object"] : b["items"] ? ["array"] : []) : [t];
  };
  if (Array.isArray(value)) return branches.find((b) => kind(b).includes("array"));
  if (value === null || typeof value !== "object") return undefined;
  const objects = branches.filter((b) => kind(b).includes("object"));
  const keys = Object.keys(value as object);
  return objects.find((b) => keys.every((k) => Object.hasOwn((b["properties"] ?? {}) as object, k))) ?? objects[0];
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
  const extra = schema["additionalProperties"];
  const nested = [schema["items"], extra && typeof extra === "object" ? extra : undefined, ...((schema["anyOf"] as unknown[] | undefined) ?? [])];
  return nested.some((s) => !!s && typeof s === "object" && hasOptionalNonNullable(s as JsonSchema));
}
