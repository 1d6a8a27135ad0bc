// Issue 13's queue figures, for the SQLite and the BullMQ (Redis) job stores: enqueue latency
// (p50, p99), jobs per second end to end against the local server at 1 and 4 workers in this
// process and at 4 worker processes, and what the queue adds to one job's time over calling the
// function directly (sequential, one worker, p50).
//   node bench/jobs.mjs     (after `pnpm build` and `pnpm prompts`; REDIS_URL, else a redis-server of its own)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, "../examples/app");
const compiled = spawnSync(process.execPath, [join(here, "../node_modules/typescript/bin/tsc"), "-p", join(app, "tsconfig.json")], { encoding: "utf8" });
if (compiled.status !== 0) throw new Error(compiled.stdout + compiled.stderr);

const { Runtime } = await import("@promptc/runtime");
const { startMockServer, sharedRedis } = await import("@promptc/runtime/testing");
const { BullMqJobStore, Jobs, SqliteJobStore, startWorker } = await import("@promptc/runtime/jobs");
const { supportRouteTicket } = await import(pathToFileURL(join(app, "dist/generated/support/route-ticket.js")).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)];
const server = await startMockServer({ handler: () => ({ json: { queue: "billing", confidence: 0.9, summary: "Charged twice." } }) });
const runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "bench", baseURL: server.openaiBaseURL }, anthropic: { apiKey: "bench", baseURL: server.anthropicBaseURL } } });
const input = (i) => ({ ticket: `I was charged twice, order ${i}`, customer_tier: "pro" });
// On the project's own disk, as an app's would be: the store fsyncs every commit (synchronous=FULL).
mkdirSync(join(here, ".work"), { recursive: true });
const dir = mkdtempSync(join(here, ".work", "jobs-"));
const redis = await sharedRedis();
let places = 0;
const backends = {
  sqlite: () => { const path = join(dir, `jobs-${places++}.sqlite`); return { store: new SqliteJobStore(path), env: { JOBS_DB: path } }; },
  bullmq: () => { const prefix = `bench${process.pid}x${places++}`; return { store: new BullMqJobStore(redis.url, { prefix }), env: { JOBS_REDIS: redis.url, JOBS_PREFIX: prefix } }; },
};
/** A worker process of its own, on the same store; resolves once it is taking jobs. */
const workerProcess = (env) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, "jobs-worker.mjs")], { env: { ...process.env, ...env, MOCK_URL: server.openaiBaseURL, ANTHROPIC_URL: server.anthropicBaseURL }, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
const all = {};

for (const [name, open] of Object.entries(backends)) {
const results = (all[name] = {});
  // Enqueue latency: no worker running, so only the queue is measured.
  {
    const jobs = new Jobs({ store: open().store });
    for (let i = 0; i < 200; i++) await jobs.enqueue(supportRouteTicket, input(i)); // warm: zod, prepared statements
    const times = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = performance.now();
      await jobs.enqueue(supportRouteTicket, input(i));
      times.push(performance.now() - t0);
    }
    results.enqueue = { p50Ms: median(times), p99Ms: p99(times), jobs: times.length, target: "<= 1 ms p50" };
    await jobs.store.close();
  }

  // Throughput: 1,000 jobs queued, then drained by 1 or 4 workers in this process.
  for (const workers of [1, 4]) {
    const jobs = new Jobs({ store: open().store });
    const ids = [];
    for (let i = 0; i < 1000; i++) ids.push((await jobs.enqueue(supportRouteTicket, input(i))).id);
    const t0 = performance.now();
    const handles = Array.from({ length: workers }, () => startWorker({ prompts: [supportRouteTicket], jobs, runtime, concurrency: 1, pollMs: 5 }));
    for (const id of ids) {
      const job = await jobs.wait(id);
      if (job.status !== "succeeded") throw new Error(`job ${id} ${job.status}: ${job.error?.message}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all(handles.map((h) => h.stop()));
    results[`throughput${workers}`] = { workers, jobsPerSecond: 1000 / seconds };
    await jobs.store.close();
  }

  // Throughput across processes: 4 worker processes (1 job at a time each) drain 1,000 jobs. This
  // process hears of jobs ended elsewhere by polling (at most 250 ms late, once, at the end).
  {
    const { store, env } = open();
    const jobs = new Jobs({ store });
    const ids = [];
    for (let i = 0; i < 1000; i++) ids.push((await jobs.enqueue(supportRouteTicket, input(i))).id);
    const children = await Promise.all(Array.from({ length: 4 }, () => workerProcess(env)));
    const t0 = performance.now();
    for (const id of ids) {
      const job = await jobs.wait(id);
      if (job.status !== "succeeded") throw new Error(`job ${id} ${job.status}: ${job.error?.message}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    for (const child of children) child.kill();
    results.throughput4Processes = { processes: 4, jobsPerSecond: 1000 / seconds };
    await jobs.store.close();
  }

  // Added latency: one job at a time through the queue (enqueue → worker → wait) against the same call made directly.
  {
    const jobs = new Jobs({ store: open().store });
    const worker = startWorker({ prompts: [supportRouteTicket], jobs, runtime, concurrency: 1, pollMs: 5 });
    const direct = [];
    const queued = [];
    for (let i = 0; i < 600; i++) {
      let t0 = performance.now();
      await supportRouteTicket(input(i), { runtime });
      if (i >= 100) direct.push(performance.now() - t0);
      t0 = performance.now();
      const { id } = await jobs.enqueue(supportRouteTicket, input(i));
      await jobs.wait(id);
      if (i >= 100) queued.push(performance.now() - t0);
    }
    await worker.stop();
    results.addedLatency = { directP50Ms: median(direct), queuedP50Ms: median(queued), addedP50Ms: median(queued) - median(direct), target: "<= 5 ms added at p50" };
    await jobs.store.close();
  }
}

await server.close();
await redis.kill();
rmSync(dir, { recursive: true, force: true });
console.log(`node ${process.version}; SQLite job stores in ${dir} (fsync on every commit); BullMQ on ${redis.url}`);
console.log(JSON.stringify(all, null, 2));
