import { describe, expect, it } from "vitest";
import { parsePartialJson } from "./partial-json.js";

describe("parsePartialJson", () => {
  const table: [string, string, unknown][] = [
    ["nothing yet", "", undefined],
    ["an open object", "{", {}],
    ["a half-written key is dropped", '{"que', {}],
    ["a key without its value is dropped", '{"queue": ', {}],
    ["a half-written string value is kept", '{"queue": "bil', { queue: "bil" }],
    ["a finished member", '{"queue": "billing", ', { queue: "billing" }],
    ["a half-written literal is dropped", '{"a": 1, "b": tr', { a: 1 }],
    ["nested and open", '{"items": [{"q": 2}, {"q": 3', { items: [{ q: 2 }, { q: 3 }] }],
    ["an array with a trailing comma", "[1, 2, ", [1, 2]],
    ["an escape cut in half", '{"s": "a\\', { s: "a" }],
    ["quotes inside strings", '{"s": "say \\"hi\\" and', { s: 'say "hi" and' }],
    ["braces inside strings", '{"s": "{[not structure", "t": [', { s: "{[not structure", t: [] }],
    ["prose before the JSON", 'Here it is: {"a": 1', { a: 1 }],
    ["complete JSON", '{"a": [1, {"b": null}]}', { a: [1, { b: null }] }],
  ];
  for (const [name, text, want] of table) it(name, () => expect(parsePartialJson(text)).toEqual(want));

  it("every prefix of a document reads as a prefix of its value, never throwing", () => {
    const doc = JSON.stringify({ queue: "billing", confidence: 0.92, tags: ["a", 'b"c'], nested: { deep: [true, false, null] } });
    let last: unknown;
    for (let i = 0; i <= doc.length; i++) {
      const v = parsePartialJson(doc.slice(0, i));
      if (v !== undefined) last = v;
    }
    expect(last).toEqual(JSON.parse(doc));
  });
});
