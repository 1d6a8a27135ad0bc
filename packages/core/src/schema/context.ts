// State shared by the schema front ends while compiling one schema value.
import type { DiagnosticBag } from "../diagnostics/index.js";
import type { SchemaNode } from "./ir.js";
import { ALL_KEYWORDS, signalsJsonSchema } from "./keywords.js";
import type { Locate, SchemaPath } from "./locate.js";

export interface SchemaContext {
  diagnostics: DiagnosticBag;
  locate: Locate;
  /** Named schemas (Picoschema's `Foo`), already compiled. */
  named: ReadonlyMap<string, SchemaNode>;
}

export function fail(ctx: SchemaContext, path: SchemaPath, part: "key" | "value", message: string, help?: string): SchemaNode {
  ctx.diagnostics.error("PC1101", message, ctx.locate(path, part), help);
  return { kind: "any" };
}

const JSON_SCHEMA_TYPES = ["string", "number", "integer", "boolean", "null", "object", "array"] as const;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Dotprompt's rule, extended: a mapping with a JSON Schema `type`, `properties`, `$schema`, or a
 * union/enum list is JSON Schema; so is one whose keys are all JSON Schema keywords and one of
 * them has a value no Picoschema field could have (`{items: {…}}`, `{minimum: 0}`, `{not: {…}}`).
 */
export function looksLikeJsonSchema(v: Record<string, unknown>): boolean {
  if ("$schema" in v) return true;
  const keys = Object.keys(v);
  if (keys.length && keys.every((k) => ALL_KEYWORDS.has(k)) && keys.some((k) => signalsJsonSchema(k) && typeof v[k] !== "string")) return true;
  const t = v["type"];
  if (typeof t === "string" && (JSON_SCHEMA_TYPES as readonly string[]).includes(t)) return true;
  if (Array.isArray(t) && t.every((x) => typeof x === "string" && (JSON_SCHEMA_TYPES as readonly string[]).includes(x))) return true;
  if (isRecord(v["properties"])) return true;
  return ["anyOf", "oneOf", "enum"].some((k) => Array.isArray(v[k]));
}

/** `__proto__` as a property name: JavaScript objects give it a meaning of its own, and zod drops it. */
export function rejectProtoName(ctx: SchemaContext, path: SchemaPath, name: string): boolean {
  if (name !== "__proto__") return false;
  fail(ctx, path, "key", "a property named `__proto__` is not supported", "JavaScript objects treat `__proto__` as their prototype, so no validator can keep it; rename the field");
  return true;
}
