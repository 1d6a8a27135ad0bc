// Bundles the command (dist/bin.js) with @promptc/core and the libraries it loads into a few
// files: each command's code in a chunk of its own, loaded when that command runs. Node 20
// spends about half a millisecond on every module file it loads, and `promptc build` loaded
// ~190 of them (zod alone ships 95) before reading a prompt. @promptc/runtime stays a package
// of its own: an app's generated code and the command must share one copy. Run after `tsc -b`.
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
rmSync(join(root, "dist/chunks"), { recursive: true, force: true });

await build({
  entryPoints: { bin: join(root, "src/bin.ts") },
  outdir: join(root, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  // The runtime, the optional peers, and what core loads by name (createRequire) stay packages.
  external: ["@promptc/runtime", "@promptc/runtime/*", "yaml", "ts-morph", "typescript", "chokidar", ...Object.keys(pkg.peerDependencies ?? {})],
  // CommonJS inside the bundle (commander, Handlebars) calls require for Node's own modules.
  banner: { js: 'import { createRequire as __promptcCreateRequire } from "node:module";\nconst require = __promptcCreateRequire(import.meta.url);' },
  sourcemap: true,
  logLevel: "warning",
  allowOverwrite: true,
});
