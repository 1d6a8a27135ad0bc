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
export function emptyRequiredString(schema: z.ZodType, value: unknown): (string | number)[] | undefined {
  return checkerOf(schema)?.(value);
}

// Walking the schema's definition on every call cost more than the rest of input handling, so
// each schema is compiled once into a check that visits only the fields holding required text.
type Check = (value: unknown) => (string | number)[] | undefined;
const checkers = new WeakMap<object, Check | null>();

function checkerOf(schema: unknown): Check | null {
  if (!schema || typeof schema !== "object") return null;
  let check = checkers.get(schema);
  if (check === undefined) {
    checkers.set(schema, null); // a schema that contains itself ends here
    check = compile(defOf(schema));
    checkers.set(schema, check);
  }
  return check;
}

function compile(def: Def | undefined): Check | null {
  if (def?.type === "string") return (v) => (v === "" ? [] : undefined);
  if (def?.type === "object" && def.shape) {
    const fields = Object.entries(def.shape).flatMap(([k, field]) => {
      const check = checkerOf(field);
      return check ? [[k, check] as const] : [];
    });
    if (!fields.length) return null;
    return (v) => {
      if (!v || typeof v !== "object") return undefined;
      for (const [k, check] of fields) {
        const found = check((v as Record<string, unknown>)[k]);
        if (found) return [k, ...found];
      }
      return undefined;
    };
  }
  if (def?.type === "array") {
    const check = checkerOf(def.element);
    if (!check) return null;
    return (v) => {
      if (!Array.isArray(v)) return undefined;
      for (let i = 0; i < v.length; i++) {
        const found = check(v[i]);
        if (found) return [i, ...found];
      }
      return undefined;
    };
  }
  return null; // optional, nullable and other wrappers: an empty string there is the caller's choice
}
