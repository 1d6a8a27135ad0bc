// Template semantics shared by generated code and the compiler's interpreter, so both
// render exactly as Handlebars would with noEscape.

type Iterable_<T> = readonly T[] | { readonly [key: string]: T } | null | undefined;

/** Handlebars' `if`: false for falsy values (0 included) and empty arrays. */
export function truthy(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : !!v;
}

/** Handlebars' `with`: renders unless the value is empty (0 is not empty here). */
export function present(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : !!v || v === 0;
}

/** Text of a value: null and undefined render as nothing. */
export function str(v: unknown): string {
  return v == null ? "" : String(v);
}

export function each<T>(
  v: Iterable_<T>,
  fn: (item: T, index: number, key: string, first: boolean, last: boolean) => string,
  inverse?: () => string,
): string;
export function each(
  v: unknown,
  fn: (item: unknown, index: number, key: string, first: boolean, last: boolean) => string,
  inverse?: () => string,
): string;
export function each<T>(
  v: unknown,
  fn: (item: T, index: number, key: string, first: boolean, last: boolean) => string,
  inverse?: () => string,
): string {
  let out = "";
  if (Array.isArray(v)) {
    const n = v.length;
    for (let i = 0; i < n; i++) out += fn(v[i] as T, i, String(i), i === 0, i === n - 1);
    return n === 0 && inverse ? inverse() : out;
  }
  if (v != null && typeof v === "object") {
    const keys = Object.keys(v);
    const n = keys.length;
    for (let i = 0; i < n; i++) out += fn((v as Record<string, T>)[keys[i]!] as T, i, keys[i]!, i === 0, i === n - 1);
    return n === 0 && inverse ? inverse() : out;
  }
  return inverse ? inverse() : "";
}

/** Property lookup on a value of unknown shape. */
export function get(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) {
    // As Handlebars: a field of null is null, of undefined undefined (`{{json a.x}}` with `a: null` prints null).
    if (cur == null) return cur;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** A standalone partial's indentation, applied to every line it renders. */
export function indent(prefix: string, text: string): string {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i] || i < lines.length - 1) lines[i] = prefix + lines[i];
  return lines.join("\n");
}

// Helpers callable from templates. Documented in docs/prompt-format.md.
export function json(v: unknown, spaces?: unknown): string {
  return JSON.stringify(v, null, typeof spaces === "number" ? spaces : undefined) ?? "";
}
export const eq = (a: unknown, b: unknown): boolean => a === b;
export const ne = (a: unknown, b: unknown): boolean => a !== b;
export const gt = (a: unknown, b: unknown): boolean => (a as number) > (b as number);
export const lt = (a: unknown, b: unknown): boolean => (a as number) < (b as number);
export const not = (a: unknown): boolean => !truthy(a);
export const and = (...xs: unknown[]): boolean => xs.every(truthy);
export const or = (...xs: unknown[]): boolean => xs.some(truthy);
export function join(v: unknown, sep?: unknown): string {
  return Array.isArray(v) ? v.map(str).join(typeof sep === "string" ? sep : ", ") : str(v);
}

/** Name → arity, for the compiler's known-helpers check. `max` of -1 means variadic. */
export const HELPERS: Readonly<Record<string, { min: number; max: number; hash?: readonly string[]; fn: (...args: never[]) => unknown }>> = {
  json: { min: 1, max: 1, hash: ["indent"], fn: json },
  eq: { min: 2, max: 2, fn: eq },
  ne: { min: 2, max: 2, fn: ne },
  gt: { min: 2, max: 2, fn: gt },
  lt: { min: 2, max: 2, fn: lt },
  not: { min: 1, max: 1, fn: not },
  and: { min: 2, max: -1, fn: and },
  or: { min: 2, max: -1, fn: or },
  join: { min: 1, max: 2, fn: join },
};

/** Handlebars' `with`: renders the block with the value as context unless it is empty. */
export function enter<T>(v: T, fn: (context: NonNullable<T>) => string, inverse?: () => string): string {
  return present(v) ? fn(v as NonNullable<T>) : inverse ? inverse() : "";
}
