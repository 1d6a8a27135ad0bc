// What a schema change means for the code that calls a prompt. For the output (what callers
// read): a field removed, a type changed, or a field that may now be absent breaks them; a new
// field does not. For the input (what callers send): a new required field, a removed field
// (inputs are strict objects), a changed type, or a field that became required breaks them; a
// new optional field does not.
type Schema = { [key: string]: unknown };

export interface SchemaChange {
  /** Dotted path of the field, `(root)` for the schema itself. */
  path: string;
  change: string;
  breaking: boolean;
}

export function schemaChanges(side: "input" | "output", before: Schema, after: Schema): SchemaChange[] {
  const out: SchemaChange[] = [];
  walk(side, before, after, "", out);
  return out;
}

function walk(side: "input" | "output", a: Schema, b: Schema, path: string, out: SchemaChange[]): void {
  const at = path || "(root)";
  const ta = typeText(a);
  const tb = typeText(b);
  if (ta !== tb) {
    // Output: safe when every new value was possible before. Input: safe when every old value is still accepted.
    const safe = side === "output" ? widens(a, b) : widens(b, a);
    out.push({ path: at, change: `type ${ta || "any"} → ${tb || "any"}`, breaking: !safe });
    return;
  }
  const ea = a["enum"] as unknown[] | undefined;
  const eb = b["enum"] as unknown[] | undefined;
  if (ea || eb) {
    const removed = (ea ?? []).filter((v) => !(eb ?? []).includes(v));
    const added = (eb ?? []).filter((v) => !(ea ?? []).includes(v));
    // Callers send input values: fewer accepted breaks them. Callers read output values: more possible breaks their switch.
    if (removed.length) out.push({ path: at, change: `values removed: ${removed.map((v) => JSON.stringify(v)).join(", ")}`, breaking: side === "input" });
    if (added.length) out.push({ path: at, change: `values added: ${added.map((v) => JSON.stringify(v)).join(", ")}`, breaking: side === "output" });
  }
  const pa = (a["properties"] ?? {}) as Record<string, Schema>;
  const pb = (b["properties"] ?? {}) as Record<string, Schema>;
  const ra = new Set((a["required"] as string[] | undefined) ?? []);
  const rb = new Set((b["required"] as string[] | undefined) ?? []);
  for (const k of Object.keys(pa)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in pb)) out.push({ path: p, change: "removed", breaking: true });
  }
  for (const k of Object.keys(pb)) {
    const p = path ? `${path}.${k}` : k;
    if (!(k in pa)) {
      const required = rb.has(k);
      out.push({ path: p, change: required ? "added (required)" : "added (optional)", breaking: side === "input" && required });
      continue;
    }
    if (ra.has(k) && !rb.has(k)) out.push({ path: p, change: "now optional", breaking: side === "output" });
    if (!ra.has(k) && rb.has(k)) out.push({ path: p, change: "now required", breaking: side === "input" });
    walk(side, pa[k]!, pb[k]!, p, out);
  }
  const ia = a["items"] as Schema | undefined;
  const ib = b["items"] as Schema | undefined;
  if (ia && ib) walk(side, ia, ib, `${path}[]`, out);
}

/** The type as text, for comparison and display: `string`, `integer|null`, `array`, or `` for none. */
function typeText(s: Schema): string {
  const t = s["type"];
  if (Array.isArray(t)) return [...t].sort().join("|");
  if (typeof t === "string") return t;
  if (s["enum"]) return "enum";
  if (Array.isArray(s["anyOf"])) return (s["anyOf"] as Schema[]).map(typeText).sort().join("|");
  return "";
}

/** Whether every value `narrow` accepts, `wide` accepts too (by type alone). */
function widens(wide: Schema, narrow: Schema): boolean {
  if (typeText(wide) === "") return true; // untyped: anything
  if (typeText(narrow) === "") return false;
  const w = new Set(typeText(wide).split("|"));
  return typeText(narrow).split("|").every((t) => w.has(t) || (t === "integer" && w.has("number")));
}
