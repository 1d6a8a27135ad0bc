// The compiler's structure: no import circle anywhere in core.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph } from "../../../test-support/import-graph.js";

const src = fileURLToPath(new URL(".", import.meta.url));

describe("the compiler's structure", () => {
  it("has no import circle", () => {
    const graph = importGraph(src);
    expect(graph.size).toBeGreaterThan(50);
    expect(importCycles(graph)).toEqual([]);
  });
});
