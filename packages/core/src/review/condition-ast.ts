// The review condition's syntax tree (condition-parse.ts), each node with its offset in the condition text.
export type Literal = string | number | boolean | null;

export type ConditionNode =
  | { kind: "or" | "and"; left: ConditionNode; right: ConditionNode; at: number }
  | { kind: "not"; operand: ConditionNode; at: number }
  | { kind: "compare"; op: "==" | "!=" | "<" | "<=" | ">" | ">="; left: ConditionNode; right: ConditionNode; at: number }
  | { kind: "in"; operand: ConditionNode; values: { value: Literal; at: number }[]; at: number }
  | { kind: "path"; root: "input" | "output"; steps: { key: string | number; at: number }[]; at: number; end: number }
  | { kind: "literal"; value: Literal; at: number; end: number };
