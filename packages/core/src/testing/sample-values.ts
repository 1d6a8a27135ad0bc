// Deterministic sample values for a schema: valid ones built from it, and near-misses
// (a field dropped, a wrong type, an enum value that is not in the list).
import type { SchemaNode } from "../schema/ir.js";

export function sampleValues(schema: SchemaNode, count: number, seed = 1): unknown[] {
  let state = seed * 2654435761 % 2 ** 32 || 1;
  const rand = () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const v = valid(schema, rand, 0);
    out.push(i % 2 === 0 ? v : mutate(v, rand));
  }
  return out;
}

function valid(s: SchemaNode, rand: () => number, depth: number): unknown {
  if (s.nullable && rand() < 0.2) return null;
  switch (s.kind) {
    case "string":
      if (s.pattern === "^[A-Z]{3}$") return "EUR";
      if (s.format === "date") return "2026-03-01";
      return ["", "a", "hello {{x}}", "Zürich\u200b"][Math.floor(rand() * 4)]!.slice(0, s.maxLength ?? 99).padEnd(s.minLength ?? 0, "x");
    case "number": {
      const lo = s.minimum ?? -5;
      const hi = s.maximum ?? 100;
      const n = lo + rand() * (hi - lo);
      return s.integer ? Math.round(n) : n;
    }
    case "boolean":
      return rand() < 0.5;
    case "null":
      return null;
    case "any":
      return rand() < 0.5 ? { k: 1 } : "x";
    case "enum":
      return s.values[Math.floor(rand() * s.values.length)];
    case "array":
      return depth > 3 ? [] : Array.from({ length: Math.floor(rand() * 3) }, () => valid(s.items, rand, depth + 1));
    case "union":
      return valid(s.variants[Math.floor(rand() * s.variants.length)]!, rand, depth + 1);
    case "object": {
      const o: Record<string, unknown> = {};
      for (const p of s.properties) if (p.required || rand() < 0.6) o[p.name] = valid(p.schema, rand, depth + 1);
      if (rand() < 0.2) o["unexpected_extra"] = 1;
      return o;
    }
  }
}

function mutate(v: unknown, rand: () => number): unknown {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    const o = { ...(v as Record<string, unknown>) };
    const k = keys[Math.floor(rand() * keys.length)];
    if (k === undefined) return 42;
    const r = rand();
    if (r < 0.33) delete o[k];
    else if (r < 0.66) o[k] = typeof o[k] === "string" ? 7 : "seven";
    else o[k] = mutate(o[k], rand);
    return o;
  }
  if (Array.isArray(v)) return v.length ? [mutate(v[0], rand), ...v.slice(1)] : "not a list";
  if (typeof v === "string") return rand() < 0.5 ? 3 : "NOT_IN_ENUM";
  if (typeof v === "number") return String(v);
  return { wrong: true };
}
