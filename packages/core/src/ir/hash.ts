// The content hash of a prompt's meaning. It covers what reaches the model or the caller:
// compiled input and output schemas, message templates, the partials they include (by
// content), the model section as written, and the policies the file declares. It ignores
// comments, key order, YAML formatting, Picoschema-vs-JSON-Schema spelling of the same
// schema, `version`, `name`, `description` and `tests`.
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, undefined members dropped: equal meaning, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + (value[i] === undefined ? "null" : canonicalJson(value[i]));
    return out + "]";
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(k) + ":" + canonicalJson(v);
    first = false;
  }
  return out + "}";
}

/** `sha256:` and the first 16 hex digits: 64 bits, plenty to tell one prompt's versions apart. */
export function contentHash(meaning: unknown): string {
  return "sha256:" + createHash("sha256").update(canonicalJson(meaning)).digest("hex").slice(0, 16);
}
