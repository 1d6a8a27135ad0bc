// Assertions on the output's value: equals, matches (partial), contains, regex, range.
import type { JsonValue } from "@promptc/core";
import { no, show, where, yes, type Check } from "./types.js";

export const equals: Check = (a, target) => {
  const diff = firstDifference(a.value, target, false);
  return diff === null ? yes(`${where(a)} equals ${show(a.value)}`) : no(`${where(a)} is ${show(target)}, not ${show(a.value)}${diff.length ? ` (differs at \`${diff.join(".")}\`)` : ""}`);
};

export const matches: Check = (a, target) => {
  const diff = firstDifference(a.value, target, true);
  if (diff === null) return yes(`${where(a)} matches ${show(a.value)}`);
  const at = diff.length ? `\`${[...a.path, ...diff].join(".")}\`` : where(a);
  return no(`${at} is ${show(valueAt(target, diff))}, expected ${show(valueAt(a.value, diff))}`, partialScore(a.value, target));
};

export const contains: Check = (a, target) => {
  if (typeof target === "string") {
    const needle = typeof a.value === "string" ? a.value : JSON.stringify(a.value);
    return target.includes(needle) ? yes(`${where(a)} contains ${show(needle)}`) : no(`${where(a)} does not contain ${show(needle)}: it is ${show(target)}`);
  }
  if (Array.isArray(target)) {
    return target.some((x) => firstDifference(a.value, x, false) === null) ? yes(`${where(a)} has the item ${show(a.value)}`) : no(`${where(a)} has no item ${show(a.value)}: it is ${show(target)}`);
  }
  const text = JSON.stringify(target) ?? "";
  const needle = typeof a.value === "string" ? a.value : JSON.stringify(a.value);
  return text.includes(needle) ? yes(`${where(a)} contains ${show(needle)}`) : no(`${where(a)} does not contain ${show(needle)}: it is ${show(target)}`);
};

export const regex: Check = (a, target) => {
  const text = typeof target === "string" ? target : JSON.stringify(target) ?? "";
  const re = new RegExp(a.value as string, a.flags);
  return re.test(text) ? yes(`${where(a)} matches /${String(a.value)}/${a.flags ?? ""}`) : no(`${where(a)} does not match /${String(a.value)}/${a.flags ?? ""}: it is ${show(text)}`);
};

export const range: Check = (a, target) => {
  const { min, max } = a.value as { min?: number; max?: number };
  const bounds = `${min ?? "-∞"}..${max ?? "∞"}`;
  if (typeof target !== "number") return no(`${where(a)} is ${show(target)}, not a number in ${bounds}`);
  if ((min !== undefined && target < min) || (max !== undefined && target > max)) return no(`${where(a)} is ${target}, outside ${bounds}`);
  return yes(`${where(a)} is ${target}, within ${bounds}`);
};

/** Path to the first place `actual` differs from `expected`, or null. Partial: objects need only the expected keys. */
function firstDifference(expected: unknown, actual: unknown, partial: boolean, path: (string | number)[] = []): (string | number)[] | null {
  if (expected === actual) return null;
  if (typeof expected === "string" && typeof actual === "string") return expected === actual ? null : path;
  if (expected === null || actual === null || typeof expected !== "object" || typeof actual !== "object") return Object.is(expected, actual) ? null : path;
  if (Array.isArray(expected) !== Array.isArray(actual)) return path;
  if (Array.isArray(expected)) {
    const other = actual as unknown[];
    if (expected.length !== other.length) return path;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], other[i], partial, [...path, i]);
      if (d) return d;
    }
    return null;
  }
  const e = expected as Record<string, unknown>;
  const o = actual as Record<string, unknown>;
  for (const k of Object.keys(e)) {
    if (!(k in o) && e[k] !== undefined) return [...path, k];
    const d = firstDifference(e[k], o[k], partial, [...path, k]);
    if (d) return d;
  }
  if (!partial) for (const k of Object.keys(o)) if (!(k in e) && o[k] !== undefined) return [...path, k];
  return null;
}

function valueAt(v: unknown, path: (string | number)[]): unknown {
  let x = v;
  for (const p of path) x = x && typeof x === "object" ? (x as Record<string | number, unknown>)[p] : undefined;
  return x;
}

/** The share of the expected top-level fields that match. */
function partialScore(expected: JsonValue, actual: unknown): number {
  if (!expected || typeof expected !== "object" || Array.isArray(expected)) return 0;
  const keys = Object.keys(expected);
  if (!keys.length) return 1;
  const o = (actual && typeof actual === "object" ? actual : {}) as Record<string, unknown>;
  return keys.filter((k) => firstDifference(expected[k], o[k], true) === null).length / keys.length;
}
