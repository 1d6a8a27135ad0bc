// The content hash of a prompt's meaning. It covers what reaches the model or the caller:
// compiled input and output schemas, message templates, the partials they include (by
// content), the model section as written, and the policies the file declares. It ignores
// comments, key order, YAML formatting, Picoschema-vs-JSON-Schema spelling of the same
// schema, `version`, `name`, `description` and `tests`.
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** `sha256:` and the first 16 hex digits: 64 bits, plenty to tell one prompt's versions apart. */
export function contentHash(meaning: unknown): string {
  return "sha256:" + createHash("sha256").update(canonicalJson(meaning)).digest("hex").slice(0, 16);
}
