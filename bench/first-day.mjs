// The first day in a fresh app, from the registry tests' own timings (e2e/user-day.test.ts
// writes e2e/.work/user-day.json): per app and Node version, the time from an empty folder to the
// first typed call with and without the package manager's installs, and node_modules sizes.
//   pnpm bench:first-day   (runs the registry tests, then prints this table)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const file = join(fileURLToPath(new URL("..", import.meta.url)), "e2e/.work/user-day.json");
const days = JSON.parse(readFileSync(file, "utf8"));
const rows = [["app, Node", "installs", "init + build + tsc + call", "empty folder → first call", "node_modules: production / with dev deps"]];
for (const [name, { steps, installedKb, installedDevKb }] of Object.entries(days)) {
  const ms = Object.fromEntries(steps.map((s) => [s.name, s.ms]));
  const installs = ms["install promptc"] + ms["install @promptc/runtime zod openai"];
  const ours = ms["promptc init"] + ms["promptc build"] + ms["tsc"] + ms["first typed call"];
  const size = name.startsWith("pnpm") ? "(hard links; see npm)" : `${(installedKb / 1024).toFixed(1)} MB / ${(installedDevKb / 1024).toFixed(1)} MB`;
  rows.push([name, `${(installs / 1000).toFixed(1)} s`, `${(ours / 1000).toFixed(1)} s`, `${((installs + ours) / 1000).toFixed(1)} s`, size]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  "));
