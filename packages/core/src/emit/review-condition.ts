// A checked review condition as a TypeScript expression over `input` and `output`: generated code
// runs it as code (never evaluates a string), and the TypeScript compiler checks it again against
// the module's Input and Output types. A missing value (an optional field, an index past the end
// of a list) compares false with `<`, `<=`, `>` and `>=`, and equals only `null`.
import type { ConditionNode } from "../review/condition-ast.js";

const JS_OPS = { "==": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" } as const;

export function emitCondition(n: ConditionNode): string {
  switch (n.kind) {
    case "or":
      return `(${emitCondition(n.left)} || ${emitCondition(n.right)})`;
    case "and":
      return `(${emitCondition(n.left)} && ${emitCondition(n.right)})`;
    case "not":
      return `!${emitCondition(n.operand)}`;
    case "literal":
      return JSON.stringify(n.value);
    case "path":
      return `(${path(n)} === true)`;
    case "in":
      return `(${JSON.stringify(n.values.map((v) => v.value))} as readonly unknown[]).includes(${valueOf(n.operand)})`;
    case "compare": {
      if (n.op === "==" || n.op === "!=") return `(${valueOf(n.left)} ${JS_OPS[n.op]} ${valueOf(n.right)})`;
      // NaN compares false: a missing number never passes a threshold.
      const num = (side: ConditionNode) => (side.kind === "path" ? `(${path(side)} ?? NaN)` : emitCondition(side));
      return `(${num(n.left)} ${JS_OPS[n.op]} ${num(n.right)})`;
    }
  }
}

/** A path as a value: a missing one is `null`, so that `== null` finds it. */
function valueOf(n: ConditionNode): string {
  return n.kind === "path" ? `(${path(n)} ?? null)` : emitCondition(n);
}

/** A bare boolean path tests true; as a value, see valueOf. */
function path(n: Extract<ConditionNode, { kind: "path" }>): string {
  return n.root + n.steps.map((s) => (typeof s.key === "number" ? `?.[${s.key}]` : `?.${/^[A-Za-z_$][\w$]*$/.test(s.key) ? s.key : `[${JSON.stringify(s.key)}]`}`)).join("");
}
