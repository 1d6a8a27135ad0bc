// State shared by the schema front ends while compiling one schema value.
import type { DiagnosticBag } from "../diagnostics/index.js";
import type { SchemaNode } from "./ir.js";
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

export const JSON_SCHEMA_TYPES = ["string", "number", "integer", "boolean", "null", "object", "array"] as const;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Dotprompt's rule, extended: a mapping with a JSON Schema `type`, `properties`, or a union/enum list is JSON Schema. */
export function looksLikeJsonSchema(v: Record<string, unknown>): boolean {
  const t = v["type"];
  if (typeof t === "string" && (JSON_SCHEMA_TYPES as readonly string[]).includes(t)) return true;
  if (Array.isArray(t) && t.every((x) => typeof x === "string" && (JSON_SCHEMA_TYPES as readonly string[]).includes(x))) return true;
  if (isRecord(v["properties"])) return true;
  return ["anyOf", "oneOf", "enum"].some((k) => Array.isArray(v[k]));
}
