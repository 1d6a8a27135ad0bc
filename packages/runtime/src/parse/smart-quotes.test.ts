// Replies written with typographic quotes (a word processor's, or a model writing prose):
// curly quotes delimit keys and strings; inside a string they are kept as text.
import { describe, expect, it } from "vitest";
import { parseLenient } from "./index.js";

const schema = { type: "object", properties: { queue: { enum: ["billing", "technical"] }, note: { type: "string" } }, required: ["queue"], additionalProperties: false };

describe("smart quotes", () => {
  const cases: [string, string, unknown][] = [
    ["double curly quotes around keys and values", "{“queue”: “billing”}", { queue: "billing" }],
    ["single curly quotes", "{‘queue’: ‘technical’, ‘note’: ‘ok’}", { queue: "technical", note: "ok" }],
    ["an apostrophe inside a single-curly-quoted value", "{‘queue’: ‘billing’, ‘note’: ‘the customer’s card’}", { queue: "billing", note: "the customer’s card" }],
    ["curly quotes inside a straight-quoted value are text", '{"queue": "billing", "note": "he said “refund”"}', { queue: "billing", note: "he said “refund”" }],
    ["in prose, after a sentence", "Here it is: {“queue”: “technical”, “note”: “app crashes”}. Thanks!", { queue: "technical", note: "app crashes" }],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      const r = parseLenient(text, schema);
      expect(r).toMatchObject({ ok: true, value: want });
    });
  }
});
