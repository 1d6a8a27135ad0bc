// The import graph of a package's source, for the layer and cycle tests: every relative import of
// every non-test file, static, re-exported, dynamic (`import("…")`) and type-only (`import type`,
// `import("…").T`) alike, as TypeScript's own pre-processor finds them (not a regex: an import
// inside a template string is not one).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** File (relative to the source root, with `/`) → the files it imports, in the same form. */
export type ImportGraph = Map<string, string[]>;

export function importGraph(srcRoot: string): ImportGraph {
  const files = sourceFiles(srcRoot);
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = readFileSync(join(srcRoot, file), "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = toPosix(relative(srcRoot, resolve(dirname(join(srcRoot, file)), fileName))).replace(/\.js$/, ".ts");
      if (!known.has(target)) throw new Error(`${file} imports ${fileName}, which is not a source file of ${srcRoot}`);
      targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** The import circles of a graph (strongly connected components of two or more files, or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Every `.ts` file under the root but tests and fixtures. */
function sourceFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, encoding: "utf8" }) as string[])
    .map(toPosix)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.split("/").some((part) => part.startsWith("__")))
    .sort();
}

const toPosix = (p: string): string => p.split("\\").join("/");

/**
 * A layer table from a Markdown document: the first table under `heading`, whose first column
 * names the layer (`0 contract`) and whose second lists its folders (`parse/`) and files
 * (`runtime.ts`) in backticks. Layers in the table's order, lowest first.
 */
export function layerTable(markdown: string, heading: string): { name: string; paths: string[] }[] {
  const start = markdown.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const lines = markdown.slice(start).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith("|"));
  const rows = lines.slice(first, end < 0 ? undefined : end).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
  const layers = rows.slice(2).map((row) => ({ name: row[0]!, paths: [...row[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!) }));
  if (!layers.length) throw new Error(`no layer table under ${heading}`);
  return layers;
}

/** The most specific entry of a layer table that holds `file`: a file named exactly, else the longest folder prefix. */
export function layerOf(layers: { name: string; paths: string[] }[], file: string): { rank: number; name: string; path: string } | undefined {
  let best: { rank: number; name: string; path: string } | undefined;
  layers.forEach((layer, rank) => {
    for (const path of layer.paths) {
      const holds = path.endsWith("/") ? file.startsWith(path) : file === path;
      if (holds && (!best || path.length > best.path.length)) best = { rank, name: layer.name, path };
    }
  });
  return best;
}
