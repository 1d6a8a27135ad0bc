import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emptyRequiredString, sanitize, sanitizeString } from "./sanitize.js";

describe("sanitize", () => {
  const table: [string, string, string][] = [
    ["ASCII is unchanged", "plain text", "plain text"],
    ["decomposed accents are composed (NFC)", "Cafe\u0301", "Café"],
    ["zero-width characters inside a Latin word are removed", "pa\u200By\u200Cm\u200Den\uFEFFt\u2060", "payment"],
    ["bidirectional controls are removed", "\u202Etxt.exe\u202C \u2066x\u2069 \u200E\u200F\u061C", "txt.exe x "],
    ["invisible operators are removed", "a\u2061b\u2062c\u2063d\u2064e", "abcde"],
    // Text that needs its joiners keeps them.
    ["Persian keeps ZWNJ between letters (mi-khâham)", "می\u200Cخواهم", "می\u200Cخواهم"],
    ["Hindi keeps ZWJ after a virama (क्‍ष, half form)", "क्\u200Dष", "क्\u200Dष"],
    ["Hindi keeps ZWNJ after a virama", "क्\u200Cष", "क्\u200Cष"],
    ["Arabic with combining marks is unchanged", "مُحَمَّد", "مُحَمَّد"],
    ["a family emoji stays one sequence", "👨\u200D👩\u200D👧\u200D👦", "👨\u200D👩\u200D👧\u200D👦"],
    ["a skin-toned sequence keeps its joiner", "👩🏽\u200D💻", "👩🏽\u200D💻"],
    ["a joiner after U+FE0F (heart on fire)", "❤\uFE0F\u200D🔥", "❤\uFE0F\u200D🔥"],
    ["a subdivision flag keeps its tags", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} England", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} England"],
    ["an ideographic variation sequence is kept", "葛\u{E0100}城", "葛\u{E0100}城"],
    ["Korean and combining marks are unchanged", "한국어 e\u0301\u0323", "한국어 ẹ́".normalize("NFC")],
    // What can hide instructions goes, also next to scripts that keep joiners.
    ["a joiner at the edge of a word is removed", "\u200Dمی\u200C خواهم\u200D", "می خواهم"],
    ["runs of joiners are removed", "می\u200C\u200Cخواهم", "میخواهم"],
    ["tag characters spelling hidden ASCII are removed", "Hi\u{E0049}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065} 😀", "Hi 😀"],
    ["tags after a flag that spell no subdivision are removed", "🏴\u{E0049}\u{E0047}\u{E004E}\u{E007F}", "🏴"],
    ["variation selectors carrying bytes after an emoji are removed", "😀\u{E0100}\u{E0142}\u{E01EF}", "😀"],
    ["a second selector after an ideograph is removed", "葛\u{E0100}\u{E0101}", "葛\u{E0100}"],
    ["zero-width space and BOM are removed in any script", "می\u200Bخواهم\uFEFF", "میخواهم"],
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
