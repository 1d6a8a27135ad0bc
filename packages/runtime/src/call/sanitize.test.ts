import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emptyRequiredString, sanitize, sanitizeString } from "./sanitize.js";

describe("sanitize", () => {
  const table: [string, string, string][] = [
    ["ASCII is unchanged", "plain text", "plain text"],
    ["decomposed accents are composed (NFC)", "Cafe\u0301", "Café"],
    ["zero-width characters are removed", "pa\u200By\u200Cm\u200Den\uFEFFt\u2060", "payment"],
    ["bidirectional controls are removed", "\u202Etxt.exe\u202C \u2066x\u2069 \u200E\u200F\u061C", "txt.exe x "],
  ];
  for (const [name, given, want] of table) it(name, () => expect(sanitizeString(given)).toBe(want));

  it("returns unchanged data as it is, and copies only what changed", () => {
    const clean = { a: "x", list: ["y", { b: "z" }], n: 1 };
    expect(sanitize(clean)).toBe(clean);
    const dirty = { a: "x", list: ["y\u200B", { b: "z" }], n: 1 };
    const out = sanitize(dirty) as typeof dirty;
    expect(out).toEqual({ a: "x", list: ["y", { b: "z" }], n: 1 });
    expect(out).not.toBe(dirty);
    expect(dirty.list[0]).toBe("y\u200B"); // the caller's object is not modified
    expect(out.list[1]).toBe(dirty.list[1]);
  });

  it("finds an empty required string, nested, but not an optional one", () => {
    const schema = z.object({ a: z.string(), b: z.string().optional(), items: z.array(z.object({ t: z.string() })) });
    expect(emptyRequiredString(schema, { a: "x", b: "", items: [{ t: "y" }] })).toBeUndefined();
    expect(emptyRequiredString(schema, { a: "", items: [] })).toEqual(["a"]);
    expect(emptyRequiredString(schema, { a: "x", items: [{ t: "y" }, { t: "" }] })).toEqual(["items", 1, "t"]);
  });
});
