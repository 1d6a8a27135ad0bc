// The one wire rule for JSON outputs. OpenAI's response_format and Anthropic's forced tool both
// take an object at the root, so an output whose JSON Schema is not a plain object (a list, a
// scalar, an enum, a union, anything, a nullable object) travels as `{ value: <output> }`, for
// every provider, strict or not, in calls and streams; the runtime unwraps it. The compiler
// stamps `travelsWrapped(schema)` into each prompt's meta; nothing else decides it.
import type { JsonSchema } from "../contract/prompt.js";

export const WRAP_KEY = "value";

/** The name a prompt's output travels under: OpenAI's schema name, Anthropic's tool name (1–64 of [A-Za-z0-9_-]). */
export function outputName(promptId: string): string {
  return promptId.replace(/[^A-Za-z0-9_-]/g, "_").slice(-64);
}

/** Whether an output with this JSON Schema travels wrapped as `{ value }`. */
export function travelsWrapped(schema: JsonSchema | null | undefined): boolean {
  return !!schema && schema["type"] !== "object";
}

/** The schema as sent: the output's own, or `{ value: <it> }` when it travels wrapped. */
export function wireSchema(schema: JsonSchema, wrapped: boolean): JsonSchema {
  return wrapped ? { type: "object", properties: { [WRAP_KEY]: schema }, required: [WRAP_KEY], additionalProperties: false } : schema;
}

/** A value as received, unwrapped when it travels wrapped (undefined when the wrapper is missing). */
export function fromWire(value: unknown, wrapped: boolean): unknown {
  if (!wrapped) return value;
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[WRAP_KEY] : undefined;
}
