// Positions from the line-start table agree with a plain scan, on random texts and offsets,
// also when texts alternate (the table is kept for the last text only).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locationOf, positionAt } from "./position.js";

function scanned(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) [line, lineStart] = [line + 1, i + 1];
  return { line, col: end - lineStart + 1 };
}

const text = fc.string({ unit: fc.constantFrom("a", "b", "\n", "\r", " ", "é") , maxLength: 200 });

describe("positionAt", () => {
  it("agrees with a scan from the start, for any offset in and around any text", () => {
    fc.assert(fc.property(text, text, fc.array(fc.integer({ min: -3, max: 210 }), { maxLength: 20 }), (a, b, offsets) => {
      for (const offset of offsets) {
        expect(positionAt(a, offset)).toEqual(scanned(a, offset));
        expect(positionAt(b, offset)).toEqual(scanned(b, offset));
      }
    }), { numRuns: 500 });
  });
  it("is file:line:col for a span", () => {
    expect(locationOf({ file: "a.yaml", text: "x: 1\ny: 2\n", start: 7 })).toBe("a.yaml:2:3");
  });
});
