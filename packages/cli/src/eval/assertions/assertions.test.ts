// Every assertion, passing and failing, and its not- form: the verdict, the score, and a
// reason that says what was found.
import type { AssertionIR } from "@promptc/core";
import type { CallRecord } from "@promptc/runtime";
import { LexicalEmbedder } from "@promptc/runtime/stores";
import { describe, expect, it } from "vitest";
import { runAssertion, type AssertionContext } from "./index.js";

const OUTPUT = { queue: "billing", confidence: 0.92, summary: "Customer was charged twice.", tags: ["refund", "urgent"] };
const RECORD = { valid: true, fallback: null, errorCode: null, costUsd: 0.0004, latencyMs: 850 } as unknown as CallRecord;

const ctx = (over: Partial<AssertionContext> = {}): AssertionContext => ({
  input: { ticket: "I was charged twice" },
  output: OUTPUT,
  record: RECORD,
  schemaValid: true,
  costUsd: 0.0004,
  latencyMs: 850,
  expected: undefined,
  embedder: new LexicalEmbedder(),
  judge: async (_id, fields) => ({ pass: fields.output.includes("charged"), score: fields.output.includes("charged") ? 0.9 : 0.2, reason: fields.criteria ?? "checked", costUsd: 0.0001 }),
  ...over,
});

const a = (type: AssertionIR["type"], value: unknown, extra: Partial<AssertionIR> = {}): AssertionIR => ({ type, negate: false, path: [], value: value as AssertionIR["value"], at: "prompts/x.eval.yaml:3:5", ...extra });

type Row = [name: string, assertion: AssertionIR, pass: boolean, reason: RegExp, over?: Partial<AssertionContext>];

const rows: Row[] = [
  ["equals, same", a("equals", OUTPUT), true, /equals/],
  ["equals, a field differs", a("equals", { ...OUTPUT, queue: "sales" }), false, /differs at `queue`/],
  ["equals at a path", a("equals", "billing", { path: ["queue"] }), true, /`queue` equals "billing"/],
  ["matches, partial", a("matches", { queue: "billing" }), true, /matches/],
  ["matches, wrong field", a("matches", { queue: "sales", confidence: 0.92 }), false, /`queue` is "billing", expected "sales"/],
  ["contains in a string", a("contains", "charged", { path: ["summary"] }), true, /contains "charged"/],
  ["contains, missing", a("contains", "refund", { path: ["summary"] }), false, /does not contain "refund": it is "Customer was charged twice\."/],
  ["contains an item of a list", a("contains", "urgent", { path: ["tags"] }), true, /has the item "urgent"/],
  ["not-contains, absent", a("contains", "sorry", { path: ["summary"], negate: true }), true, /does not contain "sorry"/],
  ["not-contains, present", a("contains", "twice", { path: ["summary"], negate: true }), false, /contains "twice", which `not-contains` forbids/],
  ["regex", a("regex", "^customer", { path: ["summary"], flags: "i" }), true, /matches \/\^customer\/i/],
  ["regex, no match", a("regex", "^Refund", { path: ["summary"] }), false, /does not match \/\^Refund\//],
  ["range, within", a("range", { min: 0.5, max: 1 }, { path: ["confidence"] }), true, /0\.92, within 0\.5\.\.1/],
  ["range, outside", a("range", { min: 0.95 }, { path: ["confidence"] }), false, /0\.92, outside 0\.95\.\.∞/],
  ["range, not a number", a("range", { min: 0 }, { path: ["summary"] }), false, /not a number/],
  ["schema-valid", a("schema-valid", true), true, /matches the output schema/],
  ["schema-valid, the fallback value", a("schema-valid", true), false, /declared fallback value.*E_ALL_MODELS_FAILED/, { record: { ...RECORD, fallback: "value", errorCode: "E_ALL_MODELS_FAILED" } as CallRecord }],
  ["not-schema-valid", a("schema-valid", true, { negate: true }), false, /forbids/],
  ["js, true", a("js", "output.confidence > 0.5 && input.ticket.includes('twice')"), true, /is true/],
  ["js, false", a("js", "output.tags.length > 5"), false, /is false/],
  ["js, throws", a("js", "output.nope.deeper"), false, /threw: .*deeper/],
  ["js cannot reach the process", a("js", "typeof process === 'undefined' && typeof require === 'undefined'"), true, /is true/],
  ["similar, close", a("similar", "The customer was charged twice", { path: ["summary"], threshold: 0.6 }), true, /similar to .*lexical-256, threshold 0\.6/],
  ["similar, far", a("similar", "Shipping address update", { path: ["summary"] }), false, /threshold 0\.8\): it is "Customer was charged twice\."/],
  ["judge, passes", a("judge", "evals/judge", { criteria: "mentions the charge" }), true, /judge `evals\/judge` passed it \(score 0\.9\): mentions the charge/],
  ["judge, below its threshold", a("judge", "evals/judge", { threshold: 0.95 }), false, /score 0\.9, below the threshold 0\.95/],
  ["judge, fails", a("judge", "evals/judge", { path: ["queue"] }), false, /failed it/],
  ["max-cost, within", a("max-cost", 0.001), true, /cost \$0\.000400, within \$0\.001/],
  ["max-cost, over", a("max-cost", 0.0001), false, /over the \$0\.0001 ceiling/],
  ["max-latency, within", a("max-latency", 2000), true, /850 ms, within 2000 ms/],
  ["max-latency, over", a("max-latency", 500), false, /850 ms, over the 500 ms ceiling/],
  ["not-max-latency", a("max-latency", 500, { negate: true }), true, /over the 500 ms ceiling/],
];

describe("assertions", () => {
  for (const [name, assertion, pass, reason, over] of rows) {
    it(name, async () => {
      const r = await runAssertion(assertion, ctx(over));
      expect(r.pass).toBe(pass);
      expect(r.reason).toMatch(reason);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    });
  }

  it("scores a partial match by the share of fields that match", async () => {
    const r = await runAssertion(a("matches", { queue: "sales", confidence: 0.92 }), ctx());
    expect(r.score).toBe(0.5);
  });

  it("stops a runaway js expression", async () => {
    const r = await runAssertion(a("js", "(() => { while (true) {} })()"), ctx());
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/timed out/i);
  });
});
