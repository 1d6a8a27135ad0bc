// Eval assertions as written under `assert:` (in a prompt file's tests or an *.eval.yaml case)
// → AssertionIR, with a diagnostic at the entry for anything wrong. Evaluating them is the
// CLI's job (packages/cli/src/eval/assertions); this only checks what can be checked statically.
import { Script } from "node:vm";
import { didYouMean, type DiagnosticBag, type SourceSpan } from "../diagnostics/index.js";
import { durationMs } from "../format/duration.js";
import { checkValue } from "../schema/check-value.js";
import type { JsonValue, ObjectProperty, SchemaNode } from "../schema/ir.js";
import { defineLazyAt, lazySpanAt, spanAt, type YamlSource } from "../source/yaml.js";
import type { SchemaPath } from "../schema/locate.js";
import { ASSERTION_TYPES, type AssertionIR, type AssertionType } from "../ir/assertion-ir.js";

export { ASSERTION_TYPES, type AssertionIR, type AssertionType };

/** Keys that qualify an assertion rather than name one. */
const MODIFIERS = { path: "a field of the output", flags: "regex flags", threshold: "the score needed", criteria: "what the judge checks" } as const;
type Modifier = keyof typeof MODIFIERS;
const ALLOWED: Record<AssertionType, Modifier[]> = {
  equals: ["path"],
  matches: ["path"],
  contains: ["path"],
  regex: ["path", "flags"],
  range: ["path"],
  "schema-valid": [],
  js: [],
  similar: ["path", "threshold"],
  judge: ["criteria", "threshold"],
  "max-cost": [],
  "max-latency": [],
};


const SPANS = new WeakMap<AssertionIR, SourceSpan>();
/** Where an assertion was written (kept outside the IR, which stays plain JSON). */
export const assertionSpan = (a: AssertionIR): SourceSpan | undefined => SPANS.get(a);

const ALL_NAMES = ASSERTION_TYPES.flatMap((t) => [t, `not-${t}`]);

export function compileAssertions(entries: readonly unknown[], src: YamlSource, at: SchemaPath, output: SchemaNode, diagnostics: DiagnosticBag): AssertionIR[] {
  const out: AssertionIR[] = [];
  entries.forEach((entry, i) => {
    const a = compileAssertion(entry, src, [...at, i], output, diagnostics);
    if (a) out.push(a);
  });
  return out;
}

function compileAssertion(entry: unknown, src: YamlSource, at: SchemaPath, output: SchemaNode, diagnostics: DiagnosticBag): AssertionIR | undefined {
  const span = lazySpanAt(src, at);
  const fail = (message: string, where: SourceSpan = span, help?: string): undefined => {
    diagnostics.error("PC1504", message, where, help);
    return undefined;
  };
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
    return fail("an assertion is a mapping with one assertion key, e.g. `- contains: refund`", span, `assertion types: ${ASSERTION_TYPES.join(", ")} (each also as not-…)`);
  }
  const record = entry as Record<string, unknown>;
  const named = Object.keys(record).filter((k) => !(k in MODIFIERS));
  if (named.length !== 1) {
    if (named.length === 0) return fail("this assertion names no type", span, `add one of: ${ASSERTION_TYPES.join(", ")}`);
    return fail(`an assertion has exactly one type, found ${named.map((k) => `\`${k}\``).join(", ")}`, span, "write each as its own list item");
  }
  const key = named[0]!;
  const negate = key.startsWith("not-");
  const type = (negate ? key.slice(4) : key) as AssertionType;
  if (!ASSERTION_TYPES.includes(type)) {
    diagnostics.error("PC1503", `unknown assertion type \`${key}\``, spanAt(src, [...at, key], "key"), didYouMean(key, ALL_NAMES) ?? `assertion types: ${ASSERTION_TYPES.join(", ")} (each also as not-…)`);
    return undefined;
  }
  for (const m of Object.keys(record).filter((k) => k in MODIFIERS) as Modifier[]) {
    if (!ALLOWED[type].includes(m)) {
      return fail(`\`${m}\` (${MODIFIERS[m]}) does not apply to \`${key}\``, spanAt(src, [...at, m], "key"), ALLOWED[type].length ? `\`${key}\` takes: ${ALLOWED[type].join(", ")}` : `\`${key}\` takes no other keys`);
    }
  }
  const valueSpan = lazySpanAt(src, [...at, key]);
  const raw = record[key];

  // path → the schema node it reaches
  let path: (string | number)[] = [];
  let target: SchemaNode | undefined = output;
  if (record["path"] !== undefined) {
    if (typeof record["path"] !== "string" || !record["path"]) return fail("`path` is a field of the output, e.g. `summary` or `items.0.name`", spanAt(src, [...at, "path"]));
    path = record["path"].split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const reached = schemaAt(output, path);
    if (!reached.ok) return fail(reached.message, spanAt(src, [...at, "path"]), reached.help);
    target = reached.node;
  }

  const ir: AssertionIR = { type, negate, path, value: null, at: "" };
  switch (type) {
    case "equals":
    case "matches": {
      const schema = type === "matches" && target?.kind === "object" ? { ...target, properties: target.properties.map((p) => ({ ...p, required: false })) } : target;
      if (schema) {
        const issue = checkValue(schema, raw);
        if (issue) return fail(`\`${key}\` can never hold: the value does not match the output schema${issue.path.length ? ` at \`${issue.path.join(".")}\`` : ""}: ${issue.message}`, valueSpan);
      }
      ir.value = raw as JsonValue;
      break;
    }
    case "contains":
      if (raw === undefined || raw === null) return fail("`contains` needs a value: text to find in a string, or an item to find in a list", valueSpan);
      ir.value = raw as JsonValue;
      break;
    case "regex": {
      if (typeof raw !== "string") return fail("`regex` is a pattern string", valueSpan);
      const flags = record["flags"];
      if (flags !== undefined && (typeof flags !== "string" || !/^[imsu]*$/.test(flags))) return fail("`flags` takes any of i, m, s, u", spanAt(src, [...at, "flags"]));
      try {
        new RegExp(raw, flags as string | undefined);
      } catch (e) {
        return fail(`invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`, valueSpan);
      }
      ir.value = raw;
      if (flags) ir.flags = flags as string;
      break;
    }
    case "range": {
      const r = raw as { min?: unknown; max?: unknown } | null;
      const ok = r && typeof r === "object" && !Array.isArray(r) && Object.keys(r).every((k) => k === "min" || k === "max") && Object.keys(r).length > 0
        && (r.min === undefined || typeof r.min === "number") && (r.max === undefined || typeof r.max === "number");
      if (!ok) return fail("`range` is `{ min: <number>, max: <number> }` (either may be left out)", valueSpan);
      if (typeof r.min === "number" && typeof r.max === "number" && r.min > r.max) return fail(`\`range\` is empty: min ${r.min} is above max ${r.max}`, valueSpan);
      if (target && target.kind !== "number" && target.kind !== "any") return fail(`\`range\` compares numbers, but ${path.length ? `\`${path.join(".")}\`` : "the output"} is ${target.kind}`, valueSpan);
      ir.value = { ...(r.min !== undefined ? { min: r.min as number } : {}), ...(r.max !== undefined ? { max: r.max as number } : {}) };
      break;
    }
    case "schema-valid":
      if (raw !== true) return fail("write `schema-valid: true` (or `not-schema-valid: true`)", valueSpan);
      ir.value = true;
      break;
    case "js": {
      if (typeof raw !== "string" || !raw.trim()) return fail("`js` is an expression over `output`, `input` and `record`, e.g. `output.confidence > 0.5`", valueSpan);
      try {
        // Compiled only, never run here: a syntax error belongs at the file's line.
        new Script(`(${raw}\n)`, { filename: "assertion.js" });
      } catch (e) {
        return fail(`the expression does not parse: ${(e as Error).message}`, valueSpan);
      }
      ir.value = raw;
      break;
    }
    case "similar": {
      if (typeof raw !== "string" || !raw) return fail("`similar` is the reference text the output should be close to", valueSpan);
      if (target && target.kind !== "string" && target.kind !== "any") return fail(`\`similar\` compares text, but ${path.length ? `\`${path.join(".")}\`` : "the output"} is ${target.kind}`, valueSpan, "add `path:` naming a string field");
      ir.value = raw;
      break;
    }
    case "judge":
      if (typeof raw !== "string" || !raw) return fail("`judge` is the id of the judge's prompt file, e.g. `evals/judge-summary`", valueSpan);
      ir.value = raw;
      if (record["criteria"] !== undefined) {
        if (typeof record["criteria"] !== "string") return fail("`criteria` is text for the judge", spanAt(src, [...at, "criteria"]));
        ir.criteria = record["criteria"];
      }
      break;
    case "max-cost":
      if (typeof raw !== "number" || !(raw >= 0)) return fail("`max-cost` is USD per call, e.g. `0.002`", valueSpan);
      ir.value = raw;
      break;
    case "max-latency": {
      let ms: number;
      try {
        if (typeof raw !== "number" && typeof raw !== "string") throw new Error();
        ms = durationMs(raw);
      } catch {
        return fail("`max-latency` is a duration (500ms, 2s) or milliseconds", valueSpan);
      }
      ir.value = ms;
      break;
    }
  }
  if (record["threshold"] !== undefined) {
    const t = record["threshold"];
    if (typeof t !== "number" || !(t > 0 && t <= 1)) return fail("`threshold` is a number above 0 and at most 1", spanAt(src, [...at, "threshold"]));
    ir.threshold = t;
  }
  defineLazyAt(ir, span);
  SPANS.set(ir, span);
  return ir;
}

type Reached = { ok: true; node: SchemaNode | undefined } | { ok: false; message: string; help?: string };

/** The schema node at `path`, or why there is none. `undefined` node: the schema allows anything there. */
export function schemaAt(root: SchemaNode, path: readonly (string | number)[]): Reached {
  let node: SchemaNode | undefined = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = i ? `\`${path.slice(0, i).join(".")}\`` : "the output";
    // A union or `any` could hold anything there: checked when the eval runs.
    if (!node || node.kind === "any" || node.kind === "union") return { ok: true, node: undefined };
    if (node.kind === "object") {
      const names = node.properties.map((p) => p.name);
      const prop: ObjectProperty | undefined = node.properties.find((p) => p.name === String(seg));
      if (!prop) {
        if (node.additional !== false) return { ok: true, node: node.additional === true ? undefined : node.additional };
        return { ok: false, message: `${here} has no field \`${seg}\``, help: didYouMean(String(seg), names) ?? `its fields: ${names.join(", ")}` };
      }
      node = prop.schema;
    } else if (node.kind === "array") {
      if (typeof seg !== "number") return { ok: false, message: `${here} is a list: index it with a number, e.g. \`${[...path.slice(0, i), 0].join(".")}\`` };
      node = node.items;
    } else {
      return { ok: false, message: `${here} is ${node.kind === "string" && !i ? "text" : `a ${node.kind}`}, it has no \`${seg}\`` };
    }
  }
  return { ok: true, node };
}
