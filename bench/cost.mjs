// Issue 4's speed targets, in one run:
//   1. an exact cache hit in memory, end to end through a generated function (knowledgeSummarize);
//   2. a semantic lookup over 50,000 cached entries (the LSH-indexed scan, and with embedding);
//   3. Redis budget reserve and settle: latency, and commands per operation from INFO.
//   node bench/cost.mjs     (after `pnpm build` and `pnpm prompts`; needs redis-server)
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createConnection } from "node:net";

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, "../examples/app");
const compiled = spawnSync(process.execPath, [join(here, "../node_modules/typescript/bin/tsc"), "-p", join(app, "tsconfig.json")], { encoding: "utf8" });
if (compiled.status !== 0) throw new Error(compiled.stdout + compiled.stderr);

const { configureRuntime } = await import("@promptc/runtime");
const { startMockServer, startRedisServer } = await import("@promptc/runtime/testing");
const { MemoryStore, RedisStore, LexicalEmbedder, SemanticIndex } = await import("@promptc/runtime/stores");
const { knowledgeSummarize } = await import(pathToFileURL(join(app, "dist/generated/knowledge/summarize.js")).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)];
const results = {};

// 1. Exact cache hit.
{
  const server = await startMockServer({ handler: () => ({ json: { headline: "Revenue up, costs down", bullets: ["Revenue +12%"] } }) });
  const rt = configureRuntime({ providers: { openai: { apiKey: "bench", baseURL: server.openaiBaseURL } } });
  const input = { document: "Q3 revenue rose 12% while costs fell.", audience: "executive", max_bullets: 3 };
  await knowledgeSummarize(input); // the miss that fills the cache
  const times = [];
  for (let i = 0; i < 25_000; i++) {
    const t0 = performance.now();
    await knowledgeSummarize(input);
    if (i >= 5_000) times.push((performance.now() - t0) * 1000);
  }
  const hits = rt.memory.records.filter((r) => r.cache === "exact").length;
  if (server.requests.length !== 1 || hits < 10_000) throw new Error(`expected cache hits, got ${server.requests.length} requests`);
  results.exactHit = { medianUs: median(times), p99Us: p99(times), calls: times.length, target: "<= 20 µs median" };
  await server.close();
}

// 2. Semantic lookup over 50,000 entries (lexical embedder, 256 dimensions).
{
  const store = new MemoryStore();
  const embedder = new LexicalEmbedder();
  const words = "account billing charge refund invoice password login error crash upload photo export report order delivery late missing item price plan upgrade cancel subscription card payment failed twice email notification settings language mobile app desktop sync data".split(" ");
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const sentence = () => Array.from({ length: 8 + Math.floor(rand() * 8) }, () => words[Math.floor(rand() * words.length)]).join(" ") + ` #${Math.floor(rand() * 1e6)}`;
  const texts = Array.from({ length: 50_000 }, sentence);
  const scope = "bench-scope";
  // Entries are written through the store, as calls write them.
  for (const t of texts) await store.vectorAdd(`${scope}:${embedder.id}`, { vector: await embedder.embed(t), value: JSON.stringify(t), expiresAt: Date.now() + 3.6e6 });
  const index = new SemanticIndex(store, embedder);
  await index.lookup(scope, await embedder.embed("warm up"), 0.95); // loads the scope into the index
  const searchTimes = [];
  const endToEnd = [];
  let found = 0;
  const queries = 2_000;
  for (let i = 0; i < queries; i++) {
    // Half are near-duplicates of a cached input (case and spacing changed), half are new.
    const text = i % 2 ? texts[Math.floor(rand() * texts.length)].toUpperCase().replace(/ /g, "  ") : sentence();
    const t0 = performance.now();
    const vector = await embedder.embed(text);
    const t1 = performance.now();
    const hit = await index.lookup(scope, vector, 0.95);
    const t2 = performance.now();
    searchTimes.push(t2 - t1);
    endToEnd.push(t2 - t0);
    if (i % 2 && hit !== undefined) found++;
  }
  results.semanticLookup = { entries: texts.length, searchMedianMs: median(searchTimes), searchP99Ms: p99(searchTimes), withEmbeddingMedianMs: median(endToEnd), nearDuplicatesFound: `${found} of ${queries / 2}`, target: "<= 5 ms median" };
}

// 3. Redis reserve and settle.
{
  const redis = await startRedisServer();
  const store = await RedisStore.connect(redis.url);
  const info = () =>
    new Promise((resolve) => {
      const socket = createConnection(redis.port, "127.0.0.1", () => socket.write("INFO commandstats\r\nINFO stats\r\n"));
      let out = "";
      socket.on("data", (d) => {
        out += d;
        if (out.includes("total_commands_processed")) {
          socket.end();
          const total = Number(/total_commands_processed:(\d+)/.exec(out)[1]);
          resolve({ total, evalsha: Number(/cmdstat_evalsha:calls=(\d+)/.exec(out)?.[1] ?? 0) });
        }
      });
    });
  const charges = [
    { key: "budget:user:ana:day:2026-11-22", limitNanos: 1e15, alertNanos: 8e14, ttlMs: 172_800_000 },
    { key: "budget:prompt:bench:month:2026-11", limitNanos: 1e15, alertNanos: 8e14, ttlMs: 2_764_800_000 },
  ];
  for (let i = 0; i < 200; i++) {
    await store.reserve(charges, 1000); // warm-up
    await store.settle(charges, -1000);
  }
  const ops = 2_000;
  const before = await info();
  const reserveTimes = [];
  const settleTimes = [];
  for (let i = 0; i < ops; i++) {
    const t0 = performance.now();
    await store.reserve(charges, 1000);
    const t1 = performance.now();
    await store.settle(charges, -400);
    settleTimes.push(performance.now() - t1);
    reserveTimes.push(t1 - t0);
  }
  const after = await info();
  const commands = after.total - before.total - 1; // the INFO call itself
  results.redis = {
    reserveMedianMs: median(reserveTimes), settleMedianMs: median(settleTimes),
    commandsPerOperation: commands / (2 * ops), evalshaPerOperation: (after.evalsha - before.evalsha) / (2 * ops),
    budgetsPerOperation: charges.length, target: "one round trip each",
  };
  await store.close();
  await redis.kill();
}

console.log(`node ${process.version}\n`);
const r = results;
console.log(`| measure | result | target |\n|---|---|---|`);
console.log(`| exact cache hit in memory, through knowledgeSummarize() | ${r.exactHit.medianUs.toFixed(1)} µs median, p99 ${r.exactHit.p99Us.toFixed(1)} µs (${r.exactHit.calls} calls) | ${r.exactHit.target} |`);
console.log(`| semantic lookup over ${r.semanticLookup.entries.toLocaleString("en-US")} entries (search) | ${r.semanticLookup.searchMedianMs.toFixed(3)} ms median, p99 ${r.semanticLookup.searchP99Ms.toFixed(3)} ms; with lexical embedding ${r.semanticLookup.withEmbeddingMedianMs.toFixed(3)} ms; near-duplicates found ${r.semanticLookup.nearDuplicatesFound} | ${r.semanticLookup.target} |`);
console.log(`| Redis reserve / settle (${r.redis.budgetsPerOperation} budgets each) | ${r.redis.reserveMedianMs.toFixed(3)} / ${r.redis.settleMedianMs.toFixed(3)} ms median; ${r.redis.commandsPerOperation.toFixed(2)} Redis commands per operation (EVALSHA ${r.redis.evalshaPerOperation.toFixed(2)}) | ${r.redis.target} |`);
mkdirSync(join(here, ".work"), { recursive: true });
writeFileSync(join(here, ".work/cost.json"), JSON.stringify(results, null, 2) + "\n");
