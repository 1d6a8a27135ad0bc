// The exact-cache key (docs/runtime.md, "Caching"): sha256 over the canonical JSON of
//   { v, prompt id, version, content hash, model chain, parameters, input }
// where the input is the validated, sanitised input (Unicode NFC, invisible controls removed,
// zod's output: defaults applied, unknown keys dropped) with object keys sorted. So a new
// version or an edited prompt never reads an old entry, and two inputs that differ only in key
// order or invisible characters share one.
import { createHash } from "node:crypto";
import type { PromptMeta } from "../contract/prompt.js";

const KEY_VERSION = 1;

/** Canonical JSON: object keys sorted, no whitespace; undefined members left out as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** Everything but the input: what a semantic cache entry is scoped by. */
export function cacheScope(meta: PromptMeta): string {
  const { model } = meta;
  return canonicalJson({ v: KEY_VERSION, id: meta.id, version: meta.version, hash: meta.hash, models: model.chain, params: { maxTokens: model.maxTokens, temperature: model.temperature, topP: model.topP, stop: model.stop } });
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("base64url");

export function exactKey(scope: string, input: unknown): string {
  return "exact:" + sha256(`${scope}\n${canonicalJson(input)}`);
}

export function scopeKey(scope: string): string {
  return "semantic:" + sha256(scope);
}
