// The command's structure: no command imports another (what two commands share lives outside
// commands/), nothing but bin.ts and io.ts touches the process's streams, and no import circle.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph } from "../../../test-support/import-graph.js";

const src = fileURLToPath(new URL(".", import.meta.url));
const graph = importGraph(src);

describe("the command's structure", () => {
  it("no command imports another", () => {
    const crossing = [...graph].flatMap(([from, to]) => (from.startsWith("commands/") ? to.filter((t) => t.startsWith("commands/")).map((t) => `${from} -> ${t}`) : []));
    expect(graph.size).toBeGreaterThan(30);
    expect(crossing).toEqual([]);
  });

  it("commands write to the Io they are given, never to the process's streams", () => {
    const touching = [...graph.keys()].filter((f) => f !== "bin.ts" && f !== "io.ts" && !f.startsWith("testing/")).filter((f) => /process\.(stdout|stderr|cwd\(\))|process\.env\b/.test(readFileSync(`${src}/${f}`, "utf8")));
    expect(touching).toEqual([]);
  });

  it("has no import circle", () => {
    expect(importCycles(graph)).toEqual([]);
  });
});
