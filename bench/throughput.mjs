// Issue 15: throughput of the generated function against the bare openai SDK (plus JSON.parse
// and zod, the same request) at 1, 16, 64 and 256 calls in flight, against the local server
// running in a process of its own. Rounds alternate the two, so drift hits both alike; the
// figure is calls per second, the median of the rounds, and the ratio generated / SDK.
//   node bench/throughput.mjs [--rounds 5] [--calls 4000]     (after `pnpm build` and `pnpm prompts`)
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import OpenAI from "openai";

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, "../examples/app");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const ROUNDS = arg("rounds", 5);
const CALLS = arg("calls", 4000);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const compiled = spawnSync(process.execPath, [join(here, "../node_modules/typescript/bin/tsc"), "-p", join(app, "tsconfig.json")], { encoding: "utf8" });
if (compiled.status !== 0) throw new Error(compiled.stdout + compiled.stderr);

// The local server in its own process, so its work is not counted against either contestant.
const serverScript = `import { startMockServer } from "@promptc/runtime/testing";
const s = await startMockServer({ handler: () => ({ json: { queue: "billing", confidence: 0.92, summary: "Customer was charged twice." }, usage: { input: 120, output: 20 } }) });
process.stdout.write(s.openaiBaseURL + "\\n");`;
const server = spawn(process.execPath, ["--input-type=module", "-e", serverScript], { cwd: here, stdio: ["ignore", "pipe", "inherit"] });
const baseURL = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim())));

const { configureRuntime } = await import("@promptc/runtime");
const { supportRouteTicket } = await import(pathToFileURL(join(app, "dist/generated/support/route-ticket.js")).href);
const { OutputSchema } = await import(pathToFileURL(join(app, "dist/generated/support/route-ticket.schemas.js")).href);
configureRuntime({ providers: { openai: { apiKey: "bench", baseURL } } });
const input = { ticket: "I was charged twice this month", customer_tier: "pro" };
const request = await supportRouteTicket.render(input);
const body = {
  model: request.models[0].model,
  messages: request.messages,
  max_completion_tokens: request.maxTokens,
  temperature: request.temperature,
  response_format: { type: "json_schema", json_schema: { name: "support_route-ticket", schema: request.output.strictSchema, strict: true } },
};
const sdk = new OpenAI({ apiKey: "bench", baseURL, maxRetries: 0 });
const contestants = {
  sdk: async () => OutputSchema.parse(JSON.parse((await sdk.chat.completions.create(body)).choices[0].message.content)),
  generated: () => supportRouteTicket(input),
};

/** `calls` calls with `concurrency` in flight; calls per second. */
async function run(fn, concurrency, calls) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < calls) await fn();
  }));
  return calls / ((performance.now() - t0) / 1000);
}

const rows = [];
for (const concurrency of [1, 16, 64, 256]) {
  const calls = concurrency === 1 ? Math.min(CALLS, 2000) : CALLS;
  for (const fn of Object.values(contestants)) await run(fn, concurrency, Math.min(500, calls)); // warm-up
  const rates = { sdk: [], generated: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? ["generated", "sdk"] : ["sdk", "generated"];
    for (const name of order) rates[name].push(await run(contestants[name], concurrency, calls));
  }
  const row = { concurrency, sdk: Math.round(median(rates.sdk)), generated: Math.round(median(rates.generated)) };
  row.ratio = +(row.generated / row.sdk).toFixed(3);
  // Per round too: the ratio of each round's pair, whose median is steadier than the ratio of medians.
  row.roundRatios = rates.sdk.map((s, i) => +(rates.generated[i] / s).toFixed(3));
  rows.push(row);
  console.log(JSON.stringify(row));
}
server.kill();
console.log(`\nnode ${process.version}; ${ROUNDS} rounds of ${CALLS} calls; local server in its own process`);
console.log("in flight   SDK calls/s   generated calls/s   generated / SDK (goal at 256: >= 0.98)");
for (const r of rows) console.log(`${String(r.concurrency).padStart(9)}   ${String(r.sdk).padStart(11)}   ${String(r.generated).padStart(17)}   ${r.ratio} (rounds ${r.roundRatios.join(", ")})`);
