// The review condition language: what it compiles to (a table), what it refuses (a table), and,
// on random conditions over random values, that the compiled TypeScript means what a plain
// reading of the condition means (an interpreter written here, independent of the emitter).
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { emitCondition } from "../emit/review-condition.js";
import type { ObjectNode, SchemaNode } from "../schema/ir.js";
import type { ConditionNode, Literal } from "./condition-ast.js";
import { checkCondition } from "./condition-check.js";
import { ConditionSyntaxError, parseCondition } from "./condition-parse.js";

const num = (): SchemaNode => ({ kind: "number", integer: false });
const str = (): SchemaNode => ({ kind: "string" });
const obj = (props: [string, SchemaNode, boolean?][]): ObjectNode => ({ kind: "object", properties: props.map(([name, schema, required = true]) => ({ name, schema, required })), additional: false });
const INPUT = obj([["ticket", str()], ["tier", { kind: "enum", values: ["free", "pro"] }], ["n", num(), false]]);
const OUTPUT = obj([
  ["queue", { kind: "enum", values: ["billing", "abuse"] }],
  ["confidence", num()],
  ["flagged", { kind: "boolean" }],
  ["note", str(), false],
  ["items", { kind: "array", items: obj([["price", num()]]) }],
  ["meta", obj([["source", str()]]), false],
]);

describe("emitted TypeScript", () => {
  const table: [string, string][] = [
    ["output.confidence < 0.8", "((output?.confidence ?? NaN) < 0.8)"],
    ['output.queue == "abuse"', '((output?.queue ?? null) === "abuse")'],
    ["output.flagged", "(output?.flagged === true)"],
    ["not output.flagged", "!(output?.flagged === true)"],
    ['output.confidence < 0.8 or output.queue == "abuse"', '(((output?.confidence ?? NaN) < 0.8) || ((output?.queue ?? null) === "abuse"))'],
    ["output.items[0].price >= 100", "((output?.items?.[0]?.price ?? NaN) >= 100)"],
    ["input.tier in ['pro']", '(["pro"] as readonly unknown[]).includes((input?.tier ?? null))'],
    ["output.meta.source != 'api'", '((output?.meta?.source ?? null) !== "api")'],
    ["-1.5e2 < output.confidence", "(-150 < (output?.confidence ?? NaN))"],
  ];
  it.each(table)("%s → %s", (condition, expected) => {
    expect(emitCondition(parseCondition(condition))).toBe(expected);
  });
  it("and binds tighter than or, and parentheses group", () => {
    expect(emitCondition(parseCondition("output.flagged or output.confidence > 1 and output.note != null"))).toBe(
      '((output?.flagged === true) || (((output?.confidence ?? NaN) > 1) && ((output?.note ?? null) !== null)))',
    );
    expect(emitCondition(parseCondition("(output.flagged or output.confidence > 1) and output.note != null"))).toBe(
      '(((output?.flagged === true) || ((output?.confidence ?? NaN) > 1)) && ((output?.note ?? null) !== null))',
    );
  });
});

describe("refused conditions", () => {
  const table: [string, "syntax" | "unknown-field" | "type", RegExp][] = [
    ["output.confidence = 0.8", "syntax", /unexpected `=`: compare with `==`/],
    ["output.confidence < 0.8 &&", "syntax", /write `and`, `or` and `not`/],
    ["output.queue == 'abuse", "syntax", /no closing quote/],
    ["output.confidence <", "syntax", /ends where a value/],
    ["outptu.confidence < 1", "syntax", /unknown name `outptu`/],
    ["output.confidence < 0.8 output.flagged", "syntax", /expected `and`, `or` or the end/],
    ["input.tier in []", "syntax", /expected a value/],
    ["output.confidnce < 0.8", "unknown-field", /`output` has no field `confidnce`/],
    ["output.items.price > 1", "unknown-field", /`output.items` is a list: it has no field `price`/],
    ["output.queue.name == 'x'", "unknown-field", /it has no field `name`/],
    ['output.queue == "abuze"', "type", /it is never "abuze"/],
    ["output.queue < 3", "type", /`<` compares numbers; `output.queue` is one of/],
    ['output.confidence == "high"', "type", /is a number: it is never "high"/],
    ["output.confidence", "type", /is a number, not true or false/],
    ["input.tier in ['pro', 'gold']", "type", /it is never "gold"/],
    ["output.queue == output.confidence", "type", /they are never equal/],
    ["output.queue == null", "type", /it is never null/],
  ];
  it.each(table)("%s: %s", (condition, kind, message) => {
    let problems: { kind: string; message: string }[];
    try {
      problems = checkCondition(parseCondition(condition), INPUT, OUTPUT);
    } catch (e) {
      if (!(e instanceof ConditionSyntaxError)) throw e;
      problems = [{ kind: "syntax", message: e.message }];
    }
    expect(problems.map((p) => p.kind)).toEqual([kind]);
    expect(problems[0]!.message).toMatch(message);
  });
  it("accepts what can hold: an optional field against null, a number field against an integer", () => {
    expect(checkCondition(parseCondition("output.note == null and input.n <= 3 and output.meta.source in ['api', 'web']"), INPUT, OUTPUT)).toEqual([]);
  });
  it("points at the offending token", () => {
    const [p] = checkCondition(parseCondition("output.flagged or output.confidnce < 0.8"), INPUT, OUTPUT);
    expect([p!.at, p!.end]).toEqual([25, 34]);
  });
});

// Random conditions over fields of a fixed shape, evaluated two ways on random values.
const FIELDS = { "output.score": "number", "output.label": "enum", "output.flag": "boolean", "output.note": "string?" } as const;
const SHAPE = obj([["score", num()], ["label", { kind: "enum", values: ["a", "b", "c"] }], ["flag", { kind: "boolean" }], ["note", str(), false]]);

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom("<", "<=", ">", ">=", "==", "!="), fc.integer({ min: -3, max: 3 })).map(([op, n]) => `output.score ${op} ${n}`),
  fc.tuple(fc.constantFrom("==", "!="), fc.constantFrom("a", "b", "c")).map(([op, v]) => `output.label ${op} "${v}"`),
  fc.subarray(["a", "b", "c"], { minLength: 1 }).map((vs) => `output.label in [${vs.map((v) => `'${v}'`).join(", ")}]`),
  fc.constant("output.flag"),
  fc.constantFrom("output.note == null", "output.note != null", 'output.note == "x"'),
);
const condition: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.tuple(tie("c"), fc.constantFrom("and", "or"), tie("c")).map(([a, op, b]) => `(${a}) ${op} (${b})`), tie("c").map((c) => `not (${c})`)),
})).c;
const value = fc.record({ score: fc.integer({ min: -4, max: 4 }), label: fc.constantFrom("a", "b", "c"), flag: fc.boolean(), note: fc.option(fc.constantFrom("x", "y"), { nil: undefined }) });

/** The condition's plain meaning, read from the tree: the reference the compiled code must agree with. */
function meaning(n: ConditionNode, output: Record<string, unknown>): boolean | Literal | undefined {
  switch (n.kind) {
    case "or":
      return meaning(n.left, output) === true || meaning(n.right, output) === true;
    case "and":
      return meaning(n.left, output) === true && meaning(n.right, output) === true;
    case "not":
      return !(meaning(n.operand, output) === true);
    case "literal":
      return n.value;
    case "path":
      return output[n.steps[0]!.key as string] as Literal | undefined;
    case "in":
      return n.values.some((v) => v.value === (meaning(n.operand, output) ?? null));
    case "compare": {
      const l = meaning(n.left, output) ?? null;
      const r = meaning(n.right, output) ?? null;
      if (n.op === "==") return l === r;
      if (n.op === "!=") return l !== r;
      if (typeof l !== "number" || typeof r !== "number") return false;
      return n.op === "<" ? l < r : n.op === "<=" ? l <= r : n.op === ">" ? l > r : l >= r;
    }
  }
}

describe("compiled conditions mean what they say", () => {
  it("agree with a reading of the tree on random conditions and values, and always type-check", () => {
    expect(Object.keys(FIELDS)).toHaveLength(4);
    fc.assert(
      fc.property(condition, fc.array(value, { minLength: 1, maxLength: 5 }), (text, outputs) => {
        const tree = parseCondition(text);
        expect(checkCondition(tree, obj([]), SHAPE)).toEqual([]);
        // The test runs the emitted expression through TypeScript's transpiler; generated modules never evaluate strings.
        const js = ts.transpileModule(`export default (input: unknown, output: any): boolean => ${emitCondition(tree)};`, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
        const module = { exports: {} as { default: (i: unknown, o: unknown) => boolean } };
        new Function("module", "exports", js)(module, module.exports);
        for (const output of outputs) {
          const reading = tree.kind === "path" ? output.flag === true : meaning(tree, output);
          expect(module.exports.default({}, output)).toBe(reading === true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
