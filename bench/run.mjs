// promptc benchmarks (issue 2 targets), all in one run:
//   node bench/run.mjs            (after `pnpm build`; or `pnpm bench`)
// Prints a table and writes bench/.work/results.json.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
// Projects live in a fresh temporary folder; results go to bench/.work. Deleting old output
// is left to the end: on this VM's ext4 (mounted with discard), writes right after many
// deletes are several times slower, which says nothing about promptc.
const work = mkdtempSync(join(tmpdir(), "promptc-bench-"));
const resultsDir = join(here, ".work");
const BIN = join(repo, "packages/cli/dist/bin.js");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const results = {};

mkdirSync(resultsDir, { recursive: true });

// How many example prompts one copy holds: every label below says how many prompts were built.
const EXAMPLES = readdirSync(join(repo, "prompts")).filter((g) => g !== "partials").flatMap((g) => readdirSync(join(repo, "prompts", g))).filter((f) => f.endsWith(".prompt.yaml")).length;
const count = (copies) => (copies * EXAMPLES).toLocaleString("en");
const copiesFor = (prompts) => Math.ceil(prompts / EXAMPLES);

// A project of the example prompts (and their eval files), repeated under numbered folders.
function makeProject(name, copies) {
  const dir = name.startsWith("/") ? name : join(work, name);
  mkdirSync(join(dir, "prompts"), { recursive: true });
  cpSync(join(repo, "prompts/partials"), join(dir, "prompts/partials"), { recursive: true });
  const config = readFileSync(join(repo, "promptc.config.yaml"), "utf8").replace(/^out: .*$/m, "out: generated");
  writeFileSync(join(dir, "promptc.config.yaml"), config);
  const sources = [];
  for (const group of readdirSync(join(repo, "prompts"))) {
    if (group === "partials") continue;
    for (const f of readdirSync(join(repo, "prompts", group))) sources.push([`${group}-${f}`, readFileSync(join(repo, "prompts", group, f), "utf8")]);
  }
  for (let i = 0; i < copies; i++) {
    const folder = join(dir, "prompts", `team${String(i).padStart(3, "0")}`);
    mkdirSync(folder, { recursive: true });
    // Every copy's templates differ, so nothing can be shared between copies but partials.
    for (const [f, text] of sources) writeFileSync(join(folder, f), text.replace("Acme", `Acme unit ${i}`).replace(/(- user: \|\n)( +)/g, `$1$2{{! copy ${i} }}\n$2`));
  }
  return dir;
}

// Old output is moved aside and deleted later: on this VM, writing into folders that were
// just deleted is several times slower, which a real cold build (a fresh clone) never meets.
let trash = 0;
function cleanOutput(dir) {
  if (existsSync(join(dir, "generated"))) renameSync(join(dir, "generated"), join(dir, "..", `trash-${trash++}`));
  rmSync(join(dir, "promptc.lock.json"), { force: true });
}

// 1. Cold build of 1,000 prompts, CLI start included: on this machine's disk, and on tmpfs.
// Creating 1,001 files on this VM's disk takes anywhere from 0.05 to 0.9 s from one minute to
// the next; tmpfs shows promptc's own time without that noise.
function coldBuild(root, label) {
  const dir = makeProject(join(root, "p1000"), copiesFor(1000));
  const times = [];
  for (let run = 0; run < 7; run++) {
    cleanOutput(dir);
    spawnSync("sync"); // flush the previous run's writes so each run pays only for its own
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, "build"], { cwd: dir, encoding: "utf8" });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const files = readdirSync(join(dir, "generated"), { recursive: true }).filter((f) => String(f).endsWith(".ts"));
  const prompts = files.filter((f) => !String(f).endsWith(".schemas.ts") && String(f) !== "index.ts").length;
  return { where: label, medianMs: median(times), minMs: Math.min(...times), allMs: times.map((t) => Math.round(t)), prompts, files: files.length, target: "<= 2000 ms" };
}
results.coldBuild1000 = coldBuild(work, "disk");
const shm = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/promptc-bench-") : null;
if (shm) {
  results.coldBuild1000Tmpfs = coldBuild(shm, "tmpfs");
  rmSync(shm, { recursive: true, force: true });
}

// 2. Generated code size per prompt (the five examples).
{
  const dir = makeProject("p5", 1);
  const r = spawnSync(process.execPath, [BIN, "build"], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  // A prompt's generated code is its function module plus its validators module.
  const sizes = {};
  const parts = {};
  for (const f of readdirSync(join(dir, "generated"), { recursive: true })) {
    if (!String(f).endsWith(".ts") || String(f) === "index.ts") continue;
    const prompt = String(f).replace(/(\.schemas)?\.ts$/, "");
    const size = statSync(join(dir, "generated", String(f))).size;
    sizes[prompt] = (sizes[prompt] ?? 0) + size;
    (parts[prompt] ??= {})[String(f).endsWith(".schemas.ts") ? "schemas" : "function"] = size;
  }
  const values = Object.values(sizes);
  results.generatedBytes = { perPrompt: sizes, parts, median: median(values), max: Math.max(...values), target: "<= 3072 bytes (3 KB) per prompt" };
}

// 3. fn.render() of a three-variable prompt.
{
  const dir = join(work, "render");
  mkdirSync(join(dir, "prompts"), { recursive: true });
  writeFileSync(join(dir, "promptc.config.yaml"), "prompts: prompts\nout: generated\ntiers: { fast: [openai:gpt-4.1-mini] }\n");
  writeFileSync(join(dir, "prompts/greet.prompt.yaml"), `version: 1
model: { tier: fast, max_tokens: 100 }
input:
  name: string
  product: string
  tone(enum): [formal, casual]
messages:
  - system: You write short greetings.
  - user: "Greet {{name}}, who just bought {{product}}, in a {{tone}} tone."
`);
  const r = spawnSync(process.execPath, [BIN, "build"], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const js = (file) => ts.transpileModule(readFileSync(join(dir, "generated", file), "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  // Beside the bench package, so that zod and @promptc/runtime resolve.
  mkdirSync(join(resultsDir, "render"), { recursive: true });
  writeFileSync(join(resultsDir, "render/greet.mjs"), js("greet.ts"));
  writeFileSync(join(resultsDir, "render/greet.schemas.js"), js("greet.schemas.ts"));
  const { greet } = await import(pathToFileURL(join(resultsDir, "render/greet.mjs")).href);
  const input = { name: "Ana", product: "a kettle", tone: "casual" };
  const batch = 10_000;
  const samples = [];
  for (let i = 0; i < 5; i++) for (let j = 0; j < batch; j++) await greet.render(input); // warm-up (loads the validators)
  for (let s = 0; s < 60; s++) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) await greet.render(input);
    samples.push(Number(process.hrtime.bigint() - t0) / batch / 1000);
  }
  results.render3Vars = { medianUs: median(samples), p99Us: pct(samples, 0.99), batches: samples.length, perBatch: batch, target: "<= 2 µs median" };
}

// 4. Watch mode: save one prompt → its regenerated module on disk (5 and 1,000 prompts).
async function watchLatency(name, copies, samples) {
  const dir = makeProject(name, copies);
  cleanOutput(dir);
  const child = spawn(process.execPath, [BIN, "build", "--watch"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  while (!out.includes("watching for changes")) await new Promise((r) => setTimeout(r, 20));
  const prompt = join(dir, "prompts/team000/support-route-ticket.prompt.yaml");
  const module = join(dir, "generated/team000/support-route-ticket.ts");
  const base = readFileSync(prompt, "utf8");
  const times = [];
  for (let i = 0; i < samples; i++) {
    const marker = `marker-${i}`;
    const t0 = performance.now();
    writeFileSync(prompt, base.replace("version: 1", `version: ${i + 2}`).replace("You route support tickets", `You route ${marker} tickets`));
    for (;;) {
      if (readFileSync(module, "utf8").includes(marker)) break;
      await new Promise((r) => setImmediate(r));
    }
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 150)); // let the trailing re-check pass, as between real saves
  }
  child.kill("SIGINT");
  await new Promise((r) => child.on("exit", r));
  return { medianMs: median(times), p90Ms: pct(times, 0.9), samples: times.length, target: "<= 150 ms median" };
}
results.watch5 = await watchLatency("w5", 1, 30);
results.watch1000 = await watchLatency("w1000", copiesFor(1000), 30);
results.watch10000 = await watchLatency("w10000", copiesFor(10000), 20); // issue 15: <= 100 ms median

writeFileSync(join(resultsDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
rmSync(work, { recursive: true, force: true });
const rows = [
  [`cold \`promptc build\`, ${count(copiesFor(1000))} prompts, CLI start included, on disk`, `${results.coldBuild1000.medianMs.toFixed(0)} ms median of 7 (${results.coldBuild1000.allMs.join(", ")})`, results.coldBuild1000.target],
  ...(results.coldBuild1000Tmpfs ? [["the same on tmpfs", `${results.coldBuild1000Tmpfs.medianMs.toFixed(0)} ms median of 7 (${results.coldBuild1000Tmpfs.allMs.join(", ")})`, results.coldBuild1000Tmpfs.target]] : []),
  [`watch: save → module on disk (${count(1)} prompts)`, `${results.watch5.medianMs.toFixed(1)} ms median, p90 ${results.watch5.p90Ms.toFixed(1)}`, results.watch5.target],
  [`watch: save → module on disk (${count(copiesFor(1000))} prompts)`, `${results.watch1000.medianMs.toFixed(1)} ms median, p90 ${results.watch1000.p90Ms.toFixed(1)}`, results.watch1000.target],
  [`watch: save → module on disk (${count(copiesFor(10000))} prompts)`, `${results.watch10000.medianMs.toFixed(1)} ms median, p90 ${results.watch10000.p90Ms.toFixed(1)}`, "<= 100 ms median"],
  [`generated code per prompt (${EXAMPLES} examples)`, `median ${results.generatedBytes.median} B, max ${results.generatedBytes.max} B`, results.generatedBytes.target],
  ["fn.render(), three variables", `${results.render3Vars.medianUs.toFixed(3)} µs median, p99 ${results.render3Vars.p99Us.toFixed(3)}`, results.render3Vars.target],
];
console.log(`node ${process.version}, ${(await import("node:os")).cpus().length} cores\n`);
console.log("| measure | result | target |\n|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log("\nsizes (function + validators):", JSON.stringify(results.generatedBytes.parts));
