// Bundles the runtime's JavaScript: one file per entry point in package.json "exports", shared
// code in dist/chunks, dependencies left as imports. tsc emits only the declarations.
// Why: Node 20 spends ~0.5 ms on every module file it loads, and importing the runtime split
// across its source files cost more than the rest of importing a set of prompts
// (docs/architecture.md).
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const entryPoints = Object.fromEntries(
  Object.values(pkg.exports).filter((e) => typeof e === "object").map((e) => {
    const out = e.default.replace(/^\.\/dist\//, "").replace(/\.js$/, "");
    return [out, join(root, "src", `${out}.ts`)];
  }),
);

// JavaScript from an earlier build (tsc's, or older chunks) would linger beside the bundle.
for (const e of readdirSync(join(root, "dist"), { recursive: true, withFileTypes: true })) {
  if (e.isFile() && /\.js(\.map)?$/.test(e.name)) rmSync(join(e.parentPath, e.name));
}

await build({
  entryPoints,
  outdir: join(root, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
