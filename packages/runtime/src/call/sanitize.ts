// Input strings are normalised before validation: Unicode NFC, and zero-width and
// bidirectional control characters removed (they hide text from people and steer models).
import type { z } from "zod";

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

const ASCII = /^[\x00-\x7F]*$/;

export function sanitizeString(s: string): string {
  if (ASCII.test(s)) return s; // ASCII is NFC already and holds none of those characters
  return s.normalize("NFC").replace(INVISIBLE, "");
}

/** Plain data with every string sanitised; unchanged values are returned as they are, not copied. */
export function sanitize(value: unknown): unknown {
  if (typeof value === "string") return sanitizeString(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = sanitize(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const k in value) {
      const before = (value as Record<string, unknown>)[k];
      const v = sanitize(before);
      if (v !== before) (out ??= { ...(value as Record<string, unknown>) })[k] = v;
    }
    return out ?? value;
  }
  return value;
}

type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; element?: unknown };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** The path of a required string field that is empty, or undefined. */
export function emptyRequiredString(schema: z.ZodType, value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  const def = defOf(schema);
  if (!def) return undefined;
  if (def.type === "string") return value === "" ? path : undefined;
  if (def.type === "object" && def.shape && value && typeof value === "object") {
    for (const [k, field] of Object.entries(def.shape)) {
      const found = emptyRequiredString(field as z.ZodType, (value as Record<string, unknown>)[k], [...path, k]);
      if (found) return found;
    }
  }
  if (def.type === "array" && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = emptyRequiredString(def.element as z.ZodType, value[i], [...path, i]);
      if (found) return found;
    }
  }
  return undefined; // optional, nullable and other wrappers: an empty string there is the caller's choice
}
