// The runtime's layers (docs/architecture.md, "Layers"): every import goes to the same layer or
// one below, the concerns never import each other, and there is no import circle. Type-only
// imports and `import("…")` type references count: they are how circles come back.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph, layerOf, layerTable, type ImportGraph } from "../../../test-support/import-graph.js";

const src = fileURLToPath(new URL(".", import.meta.url));
const layers = layerTable(readFileSync(new URL("../../../docs/architecture.md", import.meta.url), "utf8"), "### Layers");
const CONCERNS = "3 concerns";

/** Every import that breaks the table, as `from -> to: why`. */
function violations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(layers, from);
    if (!a) {
      out.push(`${from}: in no layer of the table`);
      continue;
    }
    for (const to of targets) {
      const b = layerOf(layers, to)!;
      if (!b) continue; // reported as its own file
      if (b.rank > a.rank) out.push(`${from} -> ${to}: ${a.name} imports ${b.name}, a layer above it`);
      else if (a.name === CONCERNS && b.name === CONCERNS && a.path !== b.path) out.push(`${from} -> ${to}: the concerns ${a.path} and ${b.path} are siblings`);
    }
  }
  return out;
}

describe("the runtime's layers", () => {
  const graph = importGraph(src);

  it("the table names six layers, and every source file is in one", () => {
    expect(layers.map((l) => l.name)).toEqual(["0 contract", "1 pure", "2 errors", "3 concerns", "4 engine", "5 entry"]);
    expect(graph.size).toBeGreaterThan(50);
    expect([...graph.keys()].filter((f) => !layerOf(layers, f))).toEqual([]);
  });

  it("every import goes to its own layer or one below, and no concern imports another", () => {
    expect(violations(graph)).toEqual([]);
  });

  it("has no import circle", () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it("the contract is types only", () => {
    for (const file of [...graph.keys()].filter((f) => f.startsWith("contract/"))) {
      const text = readFileSync(`${src}/${file}`, "utf8");
      expect(text, file).not.toMatch(/^export (const|function|class|let|enum)\b/m);
      expect(text, file).not.toMatch(/^import (?!type )/m);
    }
  });

  // The checks themselves: each fails on the import it exists to catch.
  it.each([
    ["an engine file imported by a concern", "budget/x.ts", "call/chain.ts", /a layer above it/],
    ["a sibling concern", "cache/x.ts", "budget/budgets.ts", /are siblings/],
    ["the runtime named by the contract (a type reference)", "contract/x.ts", "runtime.ts", /a layer above it/],
  ])("reports %s", (_, from, to, message) => {
    expect(violations(new Map([[from, [to]], [to, []]]))).toEqual([expect.stringMatching(message)]);
  });

  it("finds a circle tied by a type import", () => {
    expect(importCycles(new Map([["a.ts", ["b.ts"]], ["b.ts", ["a.ts"]], ["c.ts", ["a.ts"]]]))).toEqual([["a.ts", "b.ts"]]);
  });
});
