// Lenient parsing of a model's reply against the output's JSON Schema: build candidates, read
// each forgivingly, fit each to the schema, keep the one that needed the least bending.
import { candidates } from "./candidates.js";
import { coerce } from "./coerce.js";
import { readJsonish } from "./jsonish.js";

export type LenientResult = { ok: true; value: unknown; penalty: number } | { ok: false; problem: string };

export function parseLenient(text: string, schema: { [key: string]: unknown }): LenientResult {
  // A plain string output is the reply itself.
  if (schema["type"] === "string" && !("enum" in schema) && !("const" in schema)) return { ok: true, value: text, penalty: 0 };
  let best: LenientResult | undefined;
  let structured = false;
  for (const candidate of candidates(text)) {
    const read = readJsonish(candidate);
    if (!read) continue;
    if (read.value !== null && typeof read.value === "object") structured = true;
    const fitted = coerce(read.value, schema);
    if (fitted.ok && (!best?.ok || fitted.penalty + read.fixes < best.penalty)) best = { ok: true, value: fitted.value, penalty: fitted.penalty + read.fixes };
  }
  if (best?.ok) return best;
  // A reply that holds an object or a list that does not fit is not a sentence to pick a word from.
  if (structured) return { ok: false, problem: "no value in the reply fits the output schema" };
  // No structure at all: the text itself, as a scalar (an enum value in a sentence, a number).
  const asText = coerce(text.trim(), schema);
  if (asText.ok) return { ok: true, value: asText.value, penalty: asText.penalty + 3 };
  return { ok: false, problem: "no value in the reply fits the output schema" };
}
