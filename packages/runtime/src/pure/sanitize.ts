// Input strings are normalised before validation: Unicode NFC, and the invisible characters
// that hide text from people or steer models removed, while the ones that real text needs stay
// (docs/runtime.md, "Sanitising input"):
// - removed: bidirectional marks, embeddings, overrides and isolates (U+200E, U+200F, U+061C,
//   U+202A–U+202E, U+2066–U+2069: they reorder what a reader sees), U+200B ZERO WIDTH SPACE,
//   U+2060 WORD JOINER and U+FEFF (BOM), U+2061–U+2064 invisible operators, tag characters
//   (U+E0000–U+E007F: ASCII that renders as nothing) and variation selectors U+E0100–U+E01EF
//   (they can carry hidden bytes after any character);
// - kept: U+200C ZWNJ and U+200D ZWJ between the letters, marks or emoji they join (Persian and
//   Indic words, emoji sequences such as 👨‍👩‍👧), a tag sequence that spells a subdivision flag
//   after 🏴 (🏴󠁧󠁢󠁥󠁮󠁧󠁿), and a variation selector right after a CJK ideograph (an ideographic
//   variation sequence). A joiner anywhere else is removed.
import type { z } from "zod";

/** Any character the cleaning below looks at: most non-ASCII text has none and is returned at once. */
const SUSPECT = /[\u200B-\u200F\u2060-\u2064\uFEFF\u061C\u202A-\u202E\u2066-\u2069\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/u;

const CLEAN = new RegExp(
  [
    // 1: a subdivision flag: 🏴, two region letters and 1–4 letters or digits as tags, CANCEL TAG.
    "(\\u{1F3F4}[\\u{E0061}-\\u{E007A}]{2}[\\u{E0030}-\\u{E0039}\\u{E0061}-\\u{E007A}]{1,4}\\u{E007F})",
    // 2: a joiner, kept or not by what stands either side of it (joins, below).
    "([\\u200C\\u200D])",
    // 3: an ideographic variation sequence.
    "((?<=\\p{Ideographic})[\\u{E0100}-\\u{E01EF}])",
    // Everything else of the kind: removed.
    "[\\u200B\\u200E\\u200F\\u2060-\\u2064\\uFEFF\\u061C\\u202A-\\u202E\\u2066-\\u2069\\u{E0000}-\\u{E007F}\\u{E0100}-\\u{E01EF}]",
  ].join("|"),
  "gu",
);

// What a joiner may join: letters of the scripts that use joiners (not Latin, Greek or Cyrillic,
// where one inside a word only splits it for a filter), combining marks (an Indic virama), and
// emoji (after a skin-tone modifier or U+FE0F too).
const JOINS_AFTER = /(?:[\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]|(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{L})$/u;
const JOINS_BEFORE = /^(?:[\p{M}\p{Extended_Pictographic}]|(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{L})/u;

function joins(text: string, at: number): boolean {
  const before = text.codePointAt(at - 1);
  const prev = before !== undefined && before >= 0xdc00 && before <= 0xdfff && at >= 2 ? text.slice(at - 2, at) : text.slice(Math.max(0, at - 1), at);
  return JOINS_AFTER.test(prev) && JOINS_BEFORE.test(text.slice(at + 1, at + 3));
}

const ASCII = /^[\x00-\x7F]*$/;

export function sanitizeString(s: string): string {
  if (ASCII.test(s)) return s; // ASCII is NFC already and holds none of those characters
  const n = s.normalize("NFC");
  if (!SUSPECT.test(n)) return n;
  return n.replace(CLEAN, (m: string, flag: string | undefined, joiner: string | undefined, ivs: string | undefined, at: number) =>
    flag ?? ivs ?? (joiner !== undefined && joins(n, at) ? m : ""));
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
