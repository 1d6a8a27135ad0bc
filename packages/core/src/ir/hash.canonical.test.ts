import { describe, expect, it } from "vitest";
import { canonicalJson } from "./hash.js";

describe("canonicalJson", () => {
  const table: [string, unknown, string][] = [
    ["sorts keys at every level", { b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}'],
    ["drops undefined members, like JSON", { a: undefined, b: [undefined] }, '{"b":[null]}'],
    ["escapes keys and strings", { 'q"': "\n" }, '{"q\\"":"\\n"}'],
    ["scalars", 1.5, "1.5"],
  ];
  for (const [name, value, want] of table) it(name, () => expect(canonicalJson(value)).toBe(want));
});
