// Checks a parsed review condition against the prompt's input and output schemas, so that a
// misspelled field or a comparison that can never hold is a build error at its line and column,
// not a review that silently never (or always) triggers.
import { closest } from "../diagnostics/suggest.js";
import type { SchemaNode } from "../schema/ir.js";
import type { ConditionNode, Literal } from "./condition-ast.js";

export interface ConditionProblem {
  /** "unknown-field" (PC1702) or "type" (PC1703). */
  kind: "unknown-field" | "type";
  message: string;
  hint?: string;
  at: number;
  end: number;
}

/** What a value may be, as far as the condition cares. */
interface ValueType {
  /** Shown in messages: `a number`, `one of "billing", "abuse"`, … */
  shown: string;
  number: boolean;
  string: boolean;
  boolean: boolean;
  nullish: boolean;
  /** The only values it can take, when the schema says (enums). */
  values?: Literal[];
  any?: boolean;
}

const ANY: ValueType = { shown: "any value", number: true, string: true, boolean: true, nullish: true, any: true };

function typeOf(node: SchemaNode, optional: boolean): ValueType {
  const nullish = optional || !!node.nullable;
  switch (node.kind) {
    case "number":
      return { shown: node.integer ? "an integer" : "a number", number: true, string: false, boolean: false, nullish };
    case "string":
      return { shown: "a string", number: false, string: true, boolean: false, nullish };
    case "boolean":
      return { shown: "true or false", number: false, string: false, boolean: true, nullish };
    case "null":
      return { shown: "null", number: false, string: false, boolean: false, nullish: true };
    case "enum":
      return {
        shown: `one of ${node.values.map((v) => JSON.stringify(v)).join(", ")}`,
        number: node.values.some((v) => typeof v === "number"), string: node.values.some((v) => typeof v === "string"), boolean: node.values.some((v) => typeof v === "boolean"),
        nullish, values: node.values,
      };
    case "union": {
      const parts = node.variants.map((v) => typeOf(v, false));
      if (parts.some((p) => p.any)) return { ...ANY, nullish: true };
      return {
        shown: parts.map((p) => p.shown).join(" or "), number: parts.some((p) => p.number), string: parts.some((p) => p.string), boolean: parts.some((p) => p.boolean),
        nullish: nullish || parts.some((p) => p.nullish),
      };
    }
    case "object":
      return { shown: "an object", number: false, string: false, boolean: false, nullish };
    case "array":
      return { shown: "a list", number: false, string: false, boolean: false, nullish };
    case "never":
      return { shown: "nothing", number: false, string: false, boolean: false, nullish: true };
    default:
      return ANY;
  }
}

const literalType = (value: Literal): ValueType =>
  value === null ? { shown: "null", number: false, string: false, boolean: false, nullish: true, values: [null] }
  : { shown: JSON.stringify(value), number: typeof value === "number", string: typeof value === "string", boolean: typeof value === "boolean", nullish: false, values: [value] };

const pathText = (n: Extract<ConditionNode, { kind: "path" }>) => n.root + n.steps.map((s) => (typeof s.key === "number" ? `[${s.key}]` : `.${s.key}`)).join("");

export function checkCondition(tree: ConditionNode, input: SchemaNode, output: SchemaNode): ConditionProblem[] {
  const problems: ConditionProblem[] = [];

  /** The type at a path, or undefined (reported) when the schema has no such field. */
  const resolve = (n: Extract<ConditionNode, { kind: "path" }>): ValueType | undefined => {
    let node: SchemaNode = n.root === "input" ? input : output;
    let optional = false;
    let walked: string = n.root;
    for (const step of n.steps) {
      if (node.kind === "any") return ANY;
      if (typeof step.key === "string" && node.kind === "object") {
        const prop = node.properties.find((p) => p.name === step.key);
        if (!prop) {
          if (node.additional !== false) return ANY;
          const names = node.properties.map((p) => p.name);
          const near = closest(step.key, names);
          problems.push({
            kind: "unknown-field", message: `\`${walked}\` has no field \`${step.key}\``, at: step.at, end: step.at + step.key.length,
            hint: near ? `did you mean \`${near}\`?` : names.length ? `its fields: ${names.join(", ")}` : undefined,
          });
          return undefined;
        }
        optional ||= !prop.required || !!node.nullable;
        node = prop.schema;
      } else if (typeof step.key === "number" && node.kind === "array") {
        optional = true; // the list may be shorter
        node = node.items;
      } else {
        const what = n.root === "output" && walked === "output" && node.kind === "string" ? "the output is text" : `\`${walked}\` is ${typeOf(node, false).shown}`;
        problems.push({
          kind: "unknown-field", message: `${what}: it has no ${typeof step.key === "number" ? `item [${step.key}]` : `field \`${step.key}\``}`, at: step.at, end: step.at + String(step.key).length,
          hint: n.root === "output" && node.kind === "string" ? "a text output is compared whole: `output == \"…\"`" : undefined,
        });
        return undefined;
      }
      walked += typeof step.key === "number" ? `[${step.key}]` : `.${step.key}`;
    }
    return typeOf(node, optional);
  };

  /** The type of an operand, or undefined when it was reported. */
  const valueOf = (n: ConditionNode): ValueType | undefined => {
    if (n.kind === "path") return resolve(n);
    if (n.kind === "literal") return literalType(n.value);
    test(n);
    return { shown: "true or false", number: false, string: false, boolean: true, nullish: false };
  };

  /** A type problem, underlining the node (a path or a literal has an end; an operator is one character). */
  const mismatch = (n: ConditionNode, message: string, hint?: string) => {
    problems.push({ kind: "type", message, at: n.at, end: "end" in n ? n.end : n.at + 1, ...(hint ? { hint } : {}) });
  };

  const shownOf = (n: ConditionNode) => (n.kind === "path" ? `\`${pathText(n)}\`` : n.kind === "literal" ? JSON.stringify(n.value) : "this");

  /** Whether a value of type `t` can ever equal `lit`. */
  const canEqual = (t: ValueType, lit: Literal): boolean => {
    if (t.any) return true;
    if (lit === null) return t.nullish;
    if (t.values) return t.values.includes(lit);
    return typeof lit === "number" ? t.number : typeof lit === "string" ? t.string : t.boolean;
  };

  /** Checks a node used as a condition (true or false). */
  function test(n: ConditionNode): void {
    switch (n.kind) {
      case "or":
      case "and":
        test(n.left);
        test(n.right);
        return;
      case "not":
        test(n.operand);
        return;
      case "path": {
        const t = resolve(n);
        if (t && !t.any && !(t.boolean && !t.number && !t.string)) {
          mismatch(n, `\`${pathText(n)}\` is ${t.shown}, not true or false`, t.number ? `compare it: \`${pathText(n)} < 0.8\`` : t.string ? `compare it: \`${pathText(n)} == "…"\`` : undefined);
        }
        return;
      }
      case "literal":
        if (typeof n.value !== "boolean") mismatch(n, `${JSON.stringify(n.value)} is not true or false`);
        return;
      case "in": {
        const t = valueOf(n.operand);
        if (!t) return;
        for (const v of n.values) {
          if (!canEqual(t, v.value)) problems.push({ kind: "type", message: `${shownOf(n.operand)} is ${t.shown}: it is never ${JSON.stringify(v.value)}`, at: v.at, end: v.at + JSON.stringify(v.value).length });
        }
        return;
      }
      case "compare": {
        const l = valueOf(n.left);
        const r = valueOf(n.right);
        if (!l || !r) return;
        if (n.op === "==" || n.op === "!=") {
          const [path, lit] = n.right.kind === "literal" ? [n.left, n.right] : n.left.kind === "literal" ? [n.right, n.left] : [undefined, undefined];
          if (lit && path && !canEqual(path === n.left ? l : r, lit.value)) {
            const t = path === n.left ? l : r;
            mismatch(lit, `${shownOf(path)} is ${t.shown}: it is never ${JSON.stringify(lit.value)}`, t.values && typeof lit.value === "string" ? didYouMeanValue(lit.value, t.values) : undefined);
          } else if (!lit && !l.any && !r.any && !(l.number && r.number) && !(l.string && r.string) && !(l.boolean && r.boolean) && !(l.nullish && r.nullish)) {
            mismatch(n.right, `${shownOf(n.left)} is ${l.shown} and ${shownOf(n.right)} is ${r.shown}: they are never equal`);
          }
          return;
        }
        for (const [side, t] of [[n.left, l], [n.right, r]] as const) {
          if (!t.any && !t.number) mismatch(side, `\`${n.op}\` compares numbers; ${shownOf(side)} is ${t.shown}`, t.string ? "compare text with `==`, `!=` or `in [...]`" : undefined);
        }
        return;
      }
    }
  }

  test(tree);
  return problems;
}

function didYouMeanValue(value: string, values: Literal[]): string | undefined {
  const near = closest(value, values.filter((v): v is string => typeof v === "string"));
  return near === undefined ? undefined : `did you mean "${near}"?`;
}
