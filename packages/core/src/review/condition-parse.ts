// The review condition language: a small expression over `input` and `output` that says when a
// person must confirm a prompt's output before it is used, e.g.
//   output.confidence < 0.8 or output.queue == "abuse"
// Grammar (lowest precedence first):
//   expr    := and ("or" and)*
//   and     := not ("and" not)*
//   not     := "not" not | compare
//   compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand | "in" list)?
//   operand := path | literal | "(" expr ")"
//   path    := ("input" | "output") ("." name | "[" integer "]")*
//   literal := number | "string" | 'string' | true | false | null
//   list    := "[" literal ("," literal)* "]"
// Parsed here into an AST with each node's offset in the condition; checked against the
// prompt's schemas by condition-check.ts and compiled to TypeScript by emit/review-condition.ts.
import type { ConditionNode, Literal } from "./condition-ast.js";

export class ConditionSyntaxError extends Error {
  constructor(message: string, readonly at: number, readonly end: number) {
    super(message);
  }
}

type Token = { type: "name" | "number" | "string" | "op" | "end"; text: string; value?: Literal; at: number; end: number };

const OPS = ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ",", "."];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[\w$]/.test(text[i]!)) i++;
      tokens.push({ type: "name", text: text.slice(start, i), at: start, end: i });
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(text[i + 1] ?? ""))) {
      const raw = /^-?\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i))![0];
      i += raw.length;
      if (/[\w.]/.test(text[i] ?? "")) throw new ConditionSyntaxError(`\`${raw}${text[i]}\` is not a number`, start, i + 1);
      const value = Number(raw.replaceAll("_", ""));
      if (!Number.isFinite(value)) throw new ConditionSyntaxError(`\`${raw}\` is not a number`, start, i);
      tokens.push({ type: "number", text: raw, value, at: start, end: i });
    } else if (c === '"' || c === "'") {
      i++;
      let value = "";
      while (i < text.length && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw new ConditionSyntaxError("this string has no closing quote", start, text.length);
      i++;
      tokens.push({ type: "string", text: text.slice(start, i), value, at: start, end: i });
    } else {
      const op = OPS.find((o) => text.startsWith(o, i));
      if (!op) {
        const hint = c === "=" ? ": compare with `==`" : c === "&" || c === "|" || c === "!" ? ": write `and`, `or` and `not`" : "";
        throw new ConditionSyntaxError(`unexpected \`${c}\`${hint}`, start, start + 1);
      }
      i += op.length;
      tokens.push({ type: "op", text: op, at: start, end: i });
    }
  }
  tokens.push({ type: "end", text: "", at: text.length, end: text.length });
  return tokens;
}

export function parseCondition(text: string): ConditionNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isWord = (w: string) => peek().type === "name" && peek().text === w;
  const isOp = (o: string) => peek().type === "op" && peek().text === o;
  const fail = (what: string): never => {
    const t = peek();
    throw new ConditionSyntaxError(t.type === "end" ? `the condition ends where ${what} should be` : `expected ${what}, found \`${t.text}\``, t.at, Math.max(t.end, t.at + 1));
  };
  const expect = (o: string, what: string) => (isOp(o) ? next() : fail(what));

  const literal = (): { value: Literal; at: number; end: number } | undefined => {
    const t = peek();
    if (t.type === "number" || t.type === "string") return next(), { value: t.value!, at: t.at, end: t.end };
    if (t.type === "name" && (t.text === "true" || t.text === "false" || t.text === "null")) {
      next();
      return { value: t.text === "null" ? null : t.text === "true", at: t.at, end: t.end };
    }
    return undefined;
  };

  const operand = (): ConditionNode => {
    if (isOp("(")) {
      next();
      const inner = or();
      expect(")", "`)`");
      return inner;
    }
    const lit = literal();
    if (lit) return { kind: "literal", ...lit };
    const t = peek();
    if (t.type === "name" && (t.text === "input" || t.text === "output")) {
      next();
      const steps: { key: string | number; at: number }[] = [];
      let end = t.end;
      for (;;) {
        if (isOp(".")) {
          next();
          const name = peek();
          if (name.type !== "name") fail("a field name after `.`");
          next();
          steps.push({ key: name.text, at: name.at });
          end = name.end;
        } else if (isOp("[")) {
          next();
          const index = peek();
          if (index.type !== "number" || !Number.isInteger(index.value) || (index.value as number) < 0) fail("an index (0, 1, …)");
          next();
          steps.push({ key: index.value as number, at: index.at });
          end = expect("]", "`]`").end;
        } else break;
      }
      return { kind: "path", root: t.text, steps, at: t.at, end };
    }
    if (t.type === "name") throw new ConditionSyntaxError(`unknown name \`${t.text}\`: a condition reads \`input.…\` and \`output.…\``, t.at, t.end);
    return fail("a value, `input.…` or `output.…`");
  };

  const compare = (): ConditionNode => {
    const left = operand();
    if (isWord("in")) {
      const at = next().at;
      expect("[", "`[` and a list of values");
      const values: { value: Literal; at: number }[] = [];
      do {
        const lit = literal() ?? fail("a value (a number, a string, true, false or null)");
        values.push({ value: lit.value, at: lit.at });
      } while (isOp(",") && next());
      expect("]", "`]` or `,`");
      return { kind: "in", operand: left, values, at };
    }
    const t = peek();
    if (t.type === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.text)) {
      next();
      return { kind: "compare", op: t.text as "==", left, right: operand(), at: t.at };
    }
    return left;
  };

  const not = (): ConditionNode => {
    if (isWord("not")) {
      const at = next().at;
      return { kind: "not", operand: not(), at };
    }
    return compare();
  };

  const and = (): ConditionNode => {
    let left = not();
    while (isWord("and")) {
      const at = next().at;
      left = { kind: "and", left, right: not(), at };
    }
    return left;
  };

  const or = (): ConditionNode => {
    let left = and();
    while (isWord("or")) {
      const at = next().at;
      left = { kind: "or", left, right: and(), at };
    }
    return left;
  };

  const tree = or();
  if (peek().type !== "end") fail("`and`, `or` or the end of the condition");
  return tree;
}
