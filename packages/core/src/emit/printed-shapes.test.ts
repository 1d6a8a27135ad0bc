// printed-shapes.ts is what ts-morph prints for each module shape today: a change to
// module-shape.ts must be followed by `pnpm gen:shapes`, or this fails.
import { describe, expect, it } from "vitest";
import { ALL_SHAPES, printShape, shapeKey } from "./module-shape.js";
import { PRINTED_SHAPES } from "./printed-shapes.js";

describe("printed module shapes", () => {
  it("are current (run `pnpm gen:shapes` if this fails)", () => {
    expect(PRINTED_SHAPES).toEqual(Object.fromEntries(ALL_SHAPES.map((s) => [shapeKey(s), printShape(s)])));
  });
});
