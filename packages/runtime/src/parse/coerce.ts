// Fits a loosely read value to a JSON Schema, counting how much had to be bent: wrong-case or
// in-prose enum values, numbers written as text, a single value where a list is expected, keys
// with stray spaces or case. The lower the penalty, the better the candidate.
type Schema = { [key: string]: unknown };
export type Coerced = { ok: true; value: unknown; penalty: number } | { ok: false };

const FAIL: Coerced = { ok: false };
const ok = (value: unknown, penalty = 0): Coerced => ({ ok: true, value, penalty });

// Recursive schemas ($ref to an ancestor) can wrap a value in ever deeper objects: stop there.
const MAX_DEPTH = 64;

export function coerce(value: unknown, schema: Schema, root: Schema = schema, depth = 0): Coerced {
  if (depth > MAX_DEPTH) return FAIL;
  const s = resolve(schema, root);
  if (Array.isArray(s["anyOf"]) || Array.isArray(s["oneOf"])) {
    const variants = (s["anyOf"] ?? s["oneOf"]) as Schema[];
    // A union of literals is one enum: a sentence naming two of them is ambiguous, not the first.
    const literals = variants.map((v) => resolve(v, root));
    if (literals.every((v) => "const" in v || Array.isArray(v["enum"])) && value !== null && value !== undefined) {
      return matchEnum(value, literals.flatMap((v) => (Array.isArray(v["enum"]) ? (v["enum"] as unknown[]) : [v["const"]])));
    }
    let best: Coerced = FAIL;
    for (const variant of variants) {
      const r = coerce(value, variant, root, depth + 1);
      if (r.ok && (!best.ok || r.penalty < best.penalty)) best = r;
    }
    return best;
  }
  const types = typesOf(s);
  if (value === null || value === undefined) return types.includes("null") || types.length === 0 ? ok(null) : FAIL;
  if (Array.isArray(s["enum"]) || "const" in s) return matchEnum(value, (s["enum"] as unknown[] | undefined) ?? [s["const"]]);
  for (const type of types.filter((t) => t !== "null")) {
    const r = coerceTo(type, value, s, root, depth);
    if (r.ok) return r;
  }
  if (types.length === 0) return ok(value); // untyped: anything
  return FAIL;
}

function coerceTo(type: string, value: unknown, s: Schema, root: Schema, depth: number): Coerced {
  switch (type) {
    case "string":
      if (typeof value === "string") return ok(value);
      if (typeof value === "number" || typeof value === "boolean") return ok(String(value), 1);
      return FAIL;
    case "number":
    case "integer": {
      let n: number | undefined = typeof value === "number" ? value : typeof value === "string" ? parseNumber(value) : undefined;
      let penalty = typeof value === "number" ? 0 : 1;
      if (n === undefined && Array.isArray(value) && value.length === 1) {
        const one = coerceTo(type, value[0], s, root, depth + 1);
        return one.ok ? ok(one.value, one.penalty + 1) : FAIL; // unwrapped from a list: bent
      }
      if (n === undefined) return FAIL;
      if (type === "integer" && !Number.isInteger(n)) {
        n = Math.round(n);
        penalty++;
      }
      return ok(n, penalty);
    }
    case "boolean":
      if (typeof value === "boolean") return ok(value);
      if (typeof value === "string") {
        const words = value.toLowerCase().match(/\b(true|false)\b/g);
        if (words && new Set(words).size === 1) return ok(words[0] === "true", value.trim().toLowerCase() === words[0] ? 1 : 2);
      }
      return FAIL;
    case "array": {
      const items = (s["items"] ?? {}) as Schema;
      if (!Array.isArray(value)) {
        const one = coerce(value, items, root, depth + 1);
        return one.ok ? ok([one.value], one.penalty + 1) : FAIL;
      }
      const out: unknown[] = [];
      let penalty = 0;
      for (const v of value) {
        const r = coerce(v, items, root, depth + 1);
        if (r.ok) {
          out.push(r.value);
          penalty += r.penalty;
        } else penalty += 2; // an item that does not fit is dropped
      }
      return ok(out, penalty);
    }
    case "object":
      return coerceObject(value, s, root, depth);
    case "null":
      return FAIL;
    default:
      return FAIL;
  }
}

function coerceObject(value: unknown, s: Schema, root: Schema, depth: number): Coerced {
  const props = (s["properties"] ?? {}) as Record<string, Schema>;
  const required = new Set((s["required"] as string[] | undefined) ?? []);
  const names = Object.keys(props);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    // A bare number or boolean for an object with one field: that field. Not text: a sentence is
    // no more that field than any other.
    if (names.length === 1 && typeof value !== "string") {
      const r = coerce(value, props[names[0]!]!, root, depth + 1);
      return r.ok ? ok({ [names[0]!]: r.value }, r.penalty + 2) : FAIL;
    }
    return FAIL;
  }
  const given = value as Record<string, unknown>;
  // An object for an object with one object-valued field, without that field: the field's value
  // (`{function_name, radius}` for `{selected: {function_name, radius}}`).
  if (names.length === 1 && findKey(given, names[0]!) === undefined && typesOf(resolve(props[names[0]!]!, root)).every((t) => t !== "string")) {
    const r = coerce(given, props[names[0]!]!, root, depth + 1);
    if (r.ok) return ok({ [names[0]!]: r.value }, r.penalty + 2);
  }
  const out: Record<string, unknown> = {};
  let penalty = 0;
  const used = new Set<string>();
  for (const name of names) {
    const key = findKey(given, name);
    if (key === undefined) {
      if (required.has(name)) {
        const nullable = coerce(null, props[name]!, root, depth + 1);
        if (!nullable.ok) return FAIL;
        out[name] = null;
        penalty += 2;
      } else if (coerce(null, props[name]!, root, depth + 1).ok) out[name] = null;
      continue;
    }
    used.add(key);
    if (key !== name) penalty++;
    const r = coerce(given[key], props[name]!, root, depth + 1);
    if (!r.ok) return FAIL;
    out[name] = r.value;
    penalty += r.penalty;
  }
  const additional = s["additionalProperties"];
  if (additional && typeof additional === "object") {
    for (const [k, v] of Object.entries(given)) {
      if (used.has(k) || k in props) continue;
      const r = coerce(v, additional as Schema, root, depth + 1);
      if (r.ok) {
        out[k] = r.value;
        penalty += r.penalty;
      }
    }
  }
  return ok(out, penalty);
}

function findKey(obj: Record<string, unknown>, name: string): string | undefined {
  if (name in obj) return name;
  const norm = (k: string) => k.trim().toLowerCase().replace(/[\s_-]+/g, "_");
  return Object.keys(obj).find((k) => norm(k) === norm(name));
}

/** An enum or literal value: exact, then case-insensitive, then the one value a sentence mentions. */
function matchEnum(value: unknown, values: unknown[]): Coerced {
  if (values.some((v) => v === value)) return ok(value);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    // `{"status": 1}` names its one value; `{"status": {"code": 1}}` or `{"values": [1]}` is structure, not a value.
    const inner = Object.values(value);
    if (inner.length === 1 && (inner[0] === null || typeof inner[0] !== "object")) {
      const r = matchEnum(inner[0], values);
      return r.ok ? ok(r.value, r.penalty + 2) : FAIL;
    }
    return FAIL;
  }
  if (Array.isArray(value) && value.length === 1) {
    const r = matchEnum(value[0], values);
    return r.ok ? ok(r.value, r.penalty + 1) : FAIL;
  }
  const text = String(value).trim();
  const plain = fold(text.replace(/^["'`*_\s]+|["'`*_.\s]+$/g, ""));
  const exact = values.filter((v) => fold(String(v)) === plain);
  if (exact.length === 1) return ok(exact[0], 1);
  // Mentioned in prose: one value named exactly (case included) wins outright…
  const exactCase = values.filter((v) => new RegExp(`(^|[^\\p{L}\\p{N}_])${escape(String(v))}($|[^\\p{L}\\p{N}_])`, "u").test(text));
  if (exactCase.length === 1) return ok(exactCase[0], 3);
  // …else exactly one value named as a whole word, ignoring case and accents.
  const mentioned = values.filter((v) => new RegExp(`(^|[^\\p{L}\\p{N}_])${escape(fold(String(v)))}($|[^\\p{L}\\p{N}_])`, "u").test(fold(text)));
  if (mentioned.length === 1) return ok(mentioned[0], 3);
  return FAIL;
}

/** Case- and accent-insensitive form. */
function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** "1,234.50", "$12", "12.", "-2,000.00", "1/5". */
function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(/^[$€£]/, "").replace(/,(?=\d{3}\b)/g, "").replace(/\.$/, "");
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const frac = /^(-?\d+)\s*\/\s*(\d+)$/.exec(t);
  if (frac && Number(frac[2]) !== 0) return Number(frac[1]) / Number(frac[2]);
  const inside = t.match(/-?\d[\d,]*(\.\d+)?/g);
  if (inside && inside.length === 1) return Number(inside[0].replace(/,/g, ""));
  return undefined;
}

function typesOf(s: Schema): string[] {
  const t = s["type"];
  return Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : s["properties"] ? ["object"] : [];
}

function resolve(s: Schema, root: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 32 && typeof cur["$ref"] === "string"; i++) {
    const path = (cur["$ref"] as string).replace(/^#\//, "").split("/");
    let target: unknown = root;
    for (const seg of path) target = (target as Schema | undefined)?.[seg];
    if (!target || typeof target !== "object") return {};
    cur = target as Schema;
  }
  return cur;
}
