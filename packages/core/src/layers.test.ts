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

describe("the IR", () => {
  it("imports only the schema and template ASTs: compile produces it, emitters and checks read it", () => {
    const graph = importGraph(src);
    const allowed = (f: string) => f.startsWith("ir/") || f === "schema/ir.ts" || f === "template/ast.ts" || f === "review/condition-ast.ts";
    const out = [...graph].flatMap(([from, to]) => (from.startsWith("ir/") ? to.filter((t) => !allowed(t)).map((t) => `${from} -> ${t}`) : []));
    expect([...graph.keys()].filter((f) => f.startsWith("ir/")).length).toBeGreaterThanOrEqual(3);
    expect(out).toEqual([]);
  });
});
