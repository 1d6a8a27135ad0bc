// Call overhead against the local server with a canned reply, 2,000 sequential calls each:
//   raw fetch + JSON.parse + zod; the official openai SDK + zod; the generated function; and
//   two peers: the Vercel AI SDK (ai@6 generateObject with @ai-sdk/openai) and BAML
//   (@boundaryml/baml, its client generated here from bench/baml_src/).
// The SDK and fetch send exactly the request the generated function sends (from .render()).
// Also: importing the runtime plus the five generated example prompts, in a fresh process
// (and BAML's generated client, for comparison).
// The overhead over the SDK is measured twice in the same run: first the generated function and
// the SDK call alone, alternating, in a fresh process of their own (`--pair`, before BAML's native
// runtime is loaded anywhere); then again inside the five-way comparison with the peers.
//   node bench/call-overhead.mjs     (after `pnpm build` and `pnpm prompts`)
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import OpenAI from "openai";
import { generateObject } from "ai";
import { createOpenAI } from "@ai-sdk/openai";

const here = dirname(fileURLToPath(import.meta.url));
const pairOnly = process.argv[2] === "--pair";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const app = join(here, "../examples/app");
let importLine, bamlImportLine, imports, bamlImports, bamlDist, pair;
if (!pairOnly) {
  const compiled = spawnSync(process.execPath, [join(here, "../node_modules/typescript/bin/tsc"), "-p", join(app, "tsconfig.json")], { encoding: "utf8" });
  if (compiled.status !== 0) throw new Error(compiled.stdout + compiled.stderr);

  // Imports first, in fresh processes, before anything else here runs: BAML's native runtime keeps
  // threads busy once loaded, which would slow the probes on a 2-core machine.
  // Import: runtime + the five generated modules, in a fresh process, median of 15.
  const probe = join(here, ".work/import-probe.mjs");
  mkdirSync(dirname(probe), { recursive: true });
  // The five application prompts (the index also re-exports the eval judge, evals/judge-reply).
  const five = ["support/route-ticket", "support/draft-reply", "knowledge/summarize", "knowledge/answer-question", "finance/extract-invoice"].map((id) => JSON.stringify(pathToFileURL(join(app, `dist/generated/${id}.js`)).href));
  writeFileSync(probe, `const t0 = performance.now();\nawait Promise.all([${five.map((u) => `import(${u})`).join(", ")}]);\nprocess.stdout.write(String(performance.now() - t0));\n`);
  imports = Array.from({ length: 15 }, () => Number(spawnSync(process.execPath, [probe], { encoding: "utf8" }).stdout));
  importLine = (`import of the runtime + 5 generated prompts: ${median(imports).toFixed(1)} ms median of 15 fresh processes (target: <= 30 ms)`);

  // BAML: generate its client from bench/baml_src into .work/baml_client, then compile it.
  const bamlCli = join(here, "node_modules/.bin/baml-cli");
  rmSync(join(here, ".work/baml_client"), { recursive: true, force: true }); // BAML refuses to overwrite what it did not write
  const generated = spawnSync(bamlCli, ["generate", "--from", join(here, "baml_src")], { encoding: "utf8", env: { ...process.env, BAML_LOG: "warn" } });
  if (generated.status !== 0) throw new Error(`baml-cli generate failed:\n${generated.stdout}${generated.stderr}`);
  bamlDist = join(here, ".work/baml_dist");
  const bamlTsc = spawnSync(process.execPath, [join(here, "../node_modules/typescript/bin/tsc"), "--outDir", bamlDist, "--rootDir", join(here, ".work/baml_client"), "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--skipLibCheck", "--noCheck", ...["index.ts"].map((f) => join(here, ".work/baml_client", f))], { encoding: "utf8" });
  if (bamlTsc.status !== 0) throw new Error(bamlTsc.stdout + bamlTsc.stderr);
  writeFileSync(join(bamlDist, "package.json"), '{ "type": "module" }\n');
  const bamlProbe = join(here, ".work/import-probe-baml.mjs");
  writeFileSync(bamlProbe, `const t0 = performance.now();\nawait import(${JSON.stringify(pathToFileURL(join(bamlDist, "index.js")).href)});\nprocess.stdout.write(String(performance.now() - t0));\n`);
  bamlImports = Array.from({ length: 15 }, () => Number(spawnSync(process.execPath, [bamlProbe], { encoding: "utf8", env: { ...process.env, BAML_LOG: "off" } }).stdout));
  bamlImportLine = `for comparison, import of BAML's generated client (1 function): ${median(bamlImports).toFixed(1)} ms median of 15`;

  // The pair run, in its own process: only the SDK call and the generated function.
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--pair"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (child.status !== 0) throw new Error(`the pair run failed:\n${child.stdout}`);
  pair = JSON.parse(child.stdout);
}

const { configureRuntime } = await import("@promptc/runtime");
const { startMockServer } = await import("@promptc/runtime/testing");
const gen = await import(pathToFileURL(join(app, "dist/generated/support/route-ticket.js")).href);
const { supportRouteTicket } = gen;
const { OutputSchema } = await import(pathToFileURL(join(app, "dist/generated/support/route-ticket.schemas.js")).href);

const REPLY = { queue: "billing", confidence: 0.92, summary: "Customer was charged twice." };
const server = await startMockServer({ handler: () => ({ json: REPLY }) });
configureRuntime({ providers: { openai: { apiKey: "bench", baseURL: server.openaiBaseURL } } });
const input = { ticket: "I was charged twice this month", customer_tier: "pro" };
const request = await supportRouteTicket.render(input);
process.env.BENCH_BASE_URL = server.openaiBaseURL;
process.env.BAML_LOG = "off"; // BAML prints every prompt and reply by default
const { b: baml } = pairOnly ? { b: null } : await import(pathToFileURL(join(bamlDist, "index.js")).href);
const body = {
  model: request.models[0].model,
  messages: request.messages,
  max_completion_tokens: request.maxTokens,
  temperature: request.temperature,
  response_format: { type: "json_schema", json_schema: { name: "support_route-ticket", schema: request.output.strictSchema, strict: true } },
};
const sdk = new OpenAI({ apiKey: "bench", baseURL: server.openaiBaseURL, maxRetries: 0 });
const aiOpenAI = createOpenAI({ apiKey: "bench", baseURL: server.openaiBaseURL });
globalThis.AI_SDK_LOG_WARNINGS = false; // it warns on every call that reasoning models take no temperature
// Its idiomatic form: the system prompt apart from the turns.
const aiSystem = request.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
const aiMessages = request.messages.filter((m) => m.role !== "system");

const allContestants = {
  "raw fetch + JSON.parse + zod": async () => {
    const r = await fetch(`${server.openaiBaseURL}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bench" }, body: JSON.stringify(body) });
    const data = await r.json();
    return OutputSchema.parse(JSON.parse(data.choices[0].message.content));
  },
  "openai SDK + JSON.parse + zod": async () => {
    const c = await sdk.chat.completions.create(body);
    return OutputSchema.parse(JSON.parse(c.choices[0].message.content));
  },
  "generated function (promptc)": () => supportRouteTicket(input),
  // Peer: the Vercel AI SDK's generateObject with the same zod output schema and messages.
  "AI SDK generateObject (ai@6)": async () => (await generateObject({ model: aiOpenAI.chat(body.model), schema: OutputSchema, system: aiSystem, messages: aiMessages, maxOutputTokens: request.maxTokens, maxRetries: 0 })).object,
  // Peer: BAML's generated function for the same prompt (its enum values come back as BAML names).
  "BAML generated function (@boundaryml/baml 0.226)": () => baml.RouteTicket(input.ticket, input.customer_tier),
};

const contestants = pairOnly
  ? { "openai SDK + JSON.parse + zod": allContestants["openai SDK + JSON.parse + zod"], "generated function (promptc)": allContestants["generated function (promptc)"] }
  : allContestants;
const N = 2000;
const ROUNDS = 5;
const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)];
const all = Object.fromEntries(Object.keys(contestants).map((k) => [k, []]));
const overheads = [];
// One warm-up round, then ROUNDS measured ones; within a round contestants alternate in blocks
// of 100 calls, so drift in the machine's speed hits them alike. This machine's noise between
// rounds is larger than the 0.05 ms target, so the overhead is the median of per-round medians.
for (let round = 0; round <= ROUNDS; round++) {
  const times = Object.fromEntries(Object.keys(contestants).map((k) => [k, []]));
  for (let block = 0; block < N / 100; block++) {
    for (const [name, fn] of Object.entries(contestants)) {
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        const out = await fn();
        times[name].push(performance.now() - t0);
        if (String(out.queue).toLowerCase() !== "billing") throw new Error(`${name} returned ${JSON.stringify(out)}`);
      }
    }
  }
  if (round === 0) continue;
  for (const [k, v] of Object.entries(times)) all[k].push(...v);
  overheads.push(median(times["generated function (promptc)"]) - median(times["openai SDK + JSON.parse + zod"]));
}
const results = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, { medianMs: median(v), p99Ms: p99(v) }]));
await server.close();
if (pairOnly) {
  process.stdout.write(JSON.stringify({ overheadOverSdkMs: median(overheads), rounds: overheads, sdkMs: results["openai SDK + JSON.parse + zod"].medianMs, generatedMs: results["generated function (promptc)"].medianMs }));
  process.exit(0);
}

const raw = results["raw fetch + JSON.parse + zod"].medianMs;
console.log(`node ${process.version}; ${ROUNDS} rounds of ${N} sequential calls each against the local server\n`);
console.log("| | median | p99 | over raw fetch (median) |\n|---|---|---|---|");
for (const [k, v] of Object.entries(results)) console.log(`| ${k} | ${v.medianMs.toFixed(3)} ms | ${v.p99Ms.toFixed(3)} ms | ${(v.medianMs - raw >= 0 ? "+" : "") + (v.medianMs - raw).toFixed(3)} ms |`);
const roundsText = (xs) => xs.map((o) => o.toFixed(3)).join(", ");
console.log(`\ngenerated function over the SDK call it makes (target: <= 0.05 ms), median of ${ROUNDS} rounds:`);
console.log(`  alone with the SDK call, in a fresh process: ${pair.overheadOverSdkMs.toFixed(3)} ms (rounds: ${roundsText(pair.rounds)})`);
console.log(`  in the five-way run above, beside the peers: ${median(overheads).toFixed(3)} ms (rounds: ${roundsText(overheads)})`);

console.log(importLine);
console.log(bamlImportLine);
writeFileSync(join(here, ".work/call-overhead.json"), JSON.stringify({ calls: results, overheadOverSdkMs: { pair: pair.overheadOverSdkMs, fiveWay: median(overheads) }, rounds: { pair: pair.rounds, fiveWay: overheads }, importMs: median(imports), bamlImportMs: median(bamlImports) }, null, 2) + "\n");
