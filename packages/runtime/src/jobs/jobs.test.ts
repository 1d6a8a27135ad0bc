// Jobs: the store's rules (claiming, leases, idempotency, cancellation) as a table on a fixed
// clock; the API end to end against the local server; and a worker process killed mid-job,
// whose job another worker then runs.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { z } from "zod";
import type { JobId, JobInfo, JobStore, NewJob, StoredJob } from "../contract/jobs.js";
import type { PromptMeta } from "../contract/prompt.js";
import { definePrompt } from "../define-prompt.js";
import { InputValidationError } from "../errors/prompt-errors.js";
import { toNanos } from "../pure/money.js";
import { Runtime } from "../runtime.js";
import { startMockServer, type MockRequest, type MockServer } from "../testing/server.js";
import { redisForTests, sharedRedis, type RedisServer } from "../testing/redis-server.js";
import { routeBudgetKey, routeMeta, routePrices } from "./__fixtures__/route-meta.mjs";
import type { Store } from "../contract/store.js";
import { RedisStore } from "../store/redis.js";
import { SqliteStore } from "../store/sqlite.js";
import { BullMqJobStore } from "./bullmq-job-store.js";
import { JobWaitTimeoutError, UnknownJobError } from "./job-errors.js";
import { Jobs } from "./jobs.js";
import { SqliteJobStore } from "./sqlite-job-store.js";
import { startWorker, type WorkerHandle } from "./worker.js";

const dir = mkdtempSync(join(tmpdir(), "promptc-jobs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `jobs-${n++}.sqlite`);

// Every test runs on both backends: the SQLite file and BullMQ on a real Redis (CI starts one).
const withRedis = redisForTests();
let redis: RedisServer | undefined;
beforeAll(async () => void (withRedis && (redis = await sharedRedis())));
afterAll(() => redis?.kill());

interface Backend {
  name: string;
  /** A place no other test uses: a SQLite path, or a BullMQ key prefix. */
  fresh(): string;
  open(place: string): JobStore;
  /** How job-worker.mjs opens the same store. */
  env(place: string): Record<string, string>;
  /** Deletes what the backend keeps outside the test's folder. */
  clean(place: string): Promise<void>;
  /** Budgets beside the jobs, shared with job-worker.mjs (BUDGET_* in budgetEnv). */
  budgets(place: string): Promise<Store>;
  budgetEnv(place: string): Record<string, string>;
}
const backends: Backend[] = [
  {
    name: "sqlite", fresh: dbPath, open: (path) => new SqliteJobStore(path), env: (path) => ({ JOBS_DB: path }), clean: async () => {},
    budgets: async (path) => new SqliteStore(`${path}.budgets`), budgetEnv: (path) => ({ BUDGET_DB: `${path}.budgets` }),
  },
  {
    name: "bullmq",
    fresh: () => `pcjobs${process.pid}x${n++}`,
    // A lost lease is looked for every 100 ms here (default 5 s), so tests wait little for it.
    open: (prefix) => new BullMqJobStore(redis!.url, { prefix, stalledCheckMs: 100 }),
    env: (prefix) => ({ JOBS_REDIS: redis!.url, JOBS_PREFIX: prefix }),
    budgets: (prefix) => RedisStore.connect(redis!.url, { prefix: `${prefix}:budget:` }),
    budgetEnv: (prefix) => ({ BUDGET_REDIS: redis!.url, BUDGET_PREFIX: `${prefix}:budget:` }),
    clean: async (prefix) => {
      const { Redis } = await import("ioredis");
      const client = new Redis(redis!.url);
      for (let cursor = "0"; ; ) {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        if (keys.length) await client.unlink(...keys);
        if ((cursor = next) === "0") break;
      }
      client.disconnect();
    },
  },
];
const backendsHere = backends.filter((b) => b.name !== "bullmq" || withRedis);

/** The text of a request's first message: the job's ticket. */
const ticketOf = (request: MockRequest): string => (request.body["messages"] as { content: string }[])[0]!.content;

const job = (id: string, over: Partial<NewJob> = {}): NewJob => ({ id, promptId: "t/a", version: 1, hash: "sha256:0", input: "{}", priority: 0, runAt: 1000, user: null, feature: null, ...over });

/** Claims until a job is handed out: a due time or a lost lease is real time on every backend. */
const claimed = async (store: JobStore, worker: string, leaseMs: number): Promise<StoredJob> => {
  let got: StoredJob | undefined;
  await vi.waitFor(async () => expect((got = await store.claim(worker, ["t/a"], Date.now() + leaseMs, Date.now()))).toBeDefined(), { timeout: 5000, interval: 20 });
  return got!;
};

describe.each(backendsHere)("a job store ($name)", (backend) => {
  let store: JobStore;
  let place: string;
  beforeEach(() => void (store = backend.open((place = backend.fresh()))));
  afterEach(async () => {
    await store.close();
    await backend.clean(place);
  });

  it("adds a job once per id: the second add changes nothing", async () => {
    expect(await store.add(job("j1"), 1000)).toMatchObject({ created: true, job: { id: "j1", status: "queued", attempts: 0 } });
    expect(await store.add(job("j1", { input: '{"other":1}' }), 2000)).toMatchObject({ created: false, job: { input: "{}", createdAt: 1000 } });
    // An id belongs to its first prompt: adding it for another finds that job.
    expect(await store.add(job("j1", { promptId: "t/b" }), 3000)).toMatchObject({ created: false, job: { promptId: "t/a" } });
  });

  it("hands out due jobs of the worker's prompts, highest priority first, each to one worker", async () => {
    const now = Date.now();
    await store.add(job("low", { priority: 0, runAt: now }), now);
    await store.add(job("high", { priority: 5, runAt: now }), now);
    await store.add(job("later", { priority: 9, runAt: now + 1500 }), now);
    await store.add(job("other", { promptId: "t/b", priority: 9, runAt: now }), now);
    expect((await store.claim("w1", ["t/a"], Date.now() + 9000, Date.now()))?.id).toBe("high");
    expect((await store.claim("w2", ["t/a"], Date.now() + 9000, Date.now()))?.id).toBe("low");
    expect(await store.claim("w2", ["t/a"], Date.now() + 9000, Date.now())).toBeUndefined(); // `later` is not due, `other` not theirs
    expect((await claimed(store, "w2", 9000)).id).toBe("later");
    expect(Date.now()).toBeGreaterThanOrEqual(now + 1500);
  });

  it("gives a job whose lease ran out to another worker, counting the attempt; the first can no longer renew or finish it", async () => {
    await store.add(job("j", { runAt: Date.now() }), Date.now());
    expect(await store.claim("w1", ["t/a"], Date.now() + 300, Date.now())).toMatchObject({ worker: "w1", attempts: 1, lost: 0 });
    expect(await store.renew("j", "w1", Date.now() + 300, Date.now())).toBe(true);
    expect(await store.claim("w2", ["t/a"], Date.now() + 9000, Date.now())).toBeUndefined(); // still leased
    expect(await claimed(store, "w2", 9000)).toMatchObject({ id: "j", worker: "w2", attempts: 2, lost: 1 });
    expect(await store.renew("j", "w1", Date.now() + 300, Date.now())).toBe(false);
    expect(await store.finish("j", "w1", { status: "succeeded", output: "1", error: null, callIds: "[]" }, Date.now())).toBe(false);
    expect(await store.finish("j", "w2", { status: "succeeded", output: "2", error: null, callIds: '["c"]' }, Date.now())).toBe(true);
    expect(await store.get("j")).toMatchObject({ status: "succeeded", output: "2", callIds: '["c"]', leaseUntil: null });
  });

  it("keeps a failed job's error and puts a released one back until its time", async () => {
    const now = Date.now();
    await store.add(job("f", { runAt: now }), now);
    await store.add(job("r", { runAt: now, priority: 1 }), now);
    expect((await store.claim("w", ["t/a"], Date.now() + 9000, Date.now()))?.id).toBe("r");
    expect(await store.release("r", "other", Date.now() + 300, '["c1"]', Date.now())).toBe(false); // not its worker's
    expect(await store.release("r", "w", Date.now() + 300, '["c1"]', Date.now())).toBe(true);
    expect(await store.get("r")).toMatchObject({ status: "queued", callIds: '["c1"]' });
    expect((await store.claim("w", ["t/a"], Date.now() + 9000, Date.now()))?.id).toBe("f");
    expect(await store.finish("f", "w", { status: "failed", output: null, error: '{"code":"E_X"}', callIds: '["c2"]' }, Date.now())).toBe(true);
    expect(await store.get("f")).toMatchObject({ status: "failed", error: '{"code":"E_X"}', output: null, callIds: '["c2"]' });
    expect(await claimed(store, "w", 9000)).toMatchObject({ id: "r", attempts: 2, lost: 0, callIds: '["c1"]' });
  });

  it("lists newest first by status and prompt, and queues a failed or cancelled job again", async () => {
    await store.add(job("a1"), 1000);
    await store.add(job("a2"), 2000);
    await store.add(job("b1", { promptId: "t/b" }), 3000);
    await store.cancel("a1", 3500);
    expect((await store.list({ limit: 10 })).map((j) => j.id)).toEqual(["b1", "a2", "a1"]);
    expect((await store.list({ status: "cancelled", limit: 10 })).map((j) => j.id)).toEqual(["a1"]);
    expect((await store.list({ promptId: "t/a", status: "queued", limit: 10 })).map((j) => j.id)).toEqual(["a2"]);
    expect((await store.list({ limit: 1 })).map((j) => j.id)).toEqual(["b1"]);
    expect(await store.retry("a2", 4000)).toBe(false); // still queued
    expect(await store.retry("a1", 4000)).toBe(true);
    expect(await store.get("a1")).toMatchObject({ status: "queued", runAt: 4000, attempts: 0, lost: 0 });
    expect((await store.claim("w", ["t/a"], Date.now() + 9000, Date.now()))?.id).toBe("a2"); // queued before a1's retry
  });

  it("cancels a queued or running job, not an ended one; a cancelled job is never handed out", async () => {
    await store.add(job("q"), 1000);
    await store.add(job("r"), 1000);
    const taken = (await store.claim("w", ["t/a"], Date.now() + 9000, Date.now()))!.id;
    expect(await store.cancel("q", 1100)).toBe(true);
    expect(await store.cancel("r", 1100)).toBe(true);
    expect(await store.claim("w", ["t/a"], Date.now() + 9000, Date.now())).toBeUndefined();
    expect(await store.renew(taken, "w", Date.now() + 9000, Date.now())).toBe(false);
    expect(await store.finish(taken, "w", { status: "succeeded", output: "1", error: null, callIds: "[]" }, Date.now())).toBe(false);
    expect(await store.cancel("q", 1300)).toBe(false);
    expect(await store.get("q")).toMatchObject({ status: "cancelled" });
    expect(await store.get(taken)).toMatchObject({ status: "cancelled" });
  });
});

describe("the default store", () => {
  afterEach(() => void vi.unstubAllEnvs());
  it("is BullMQ when PROMPTC_JOBS_REDIS names a Redis, else the SQLite file PROMPTC_JOBS_DB names", async () => {
    vi.stubEnv("PROMPTC_JOBS_REDIS", "redis://127.0.0.1:1");
    const onRedis = new Jobs();
    expect(onRedis.store).toBeInstanceOf(BullMqJobStore);
    await onRedis.store.close();
    vi.stubEnv("PROMPTC_JOBS_REDIS", "");
    vi.stubEnv("PROMPTC_JOBS_DB", join(dir, "from-env.sqlite"));
    const onFile = new Jobs();
    expect(onFile.store).toBeInstanceOf(SqliteJobStore);
    expect((onFile.store as SqliteJobStore).path).toBe(join(dir, "from-env.sqlite"));
    await onFile.store.close();
  });
});

describe.each(backendsHere)("jobs end to end ($name)", (backend) => {
  let server: MockServer;
  let jobs: Jobs;
  const places: string[] = [];
  /** A store of this backend at a fresh place, and the place, for another process to open. */
  const fresh = (): { store: JobStore; place: string } => {
    const place = backend.fresh();
    places.push(place);
    return { store: backend.open(place), place };
  };
  let runtime: Runtime;
  const workers: WorkerHandle[] = [];
  beforeEach(async () => {
    server = await startMockServer();
    jobs = new Jobs({ store: fresh().store });
    runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL } } });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await jobs.store.close();
    await server.close();
    await Promise.all(places.splice(0).map((p) => backend.clean(p)));
  });
  const Output = z.object({ queue: z.enum(["billing", "technical"]) });
  const fn = definePrompt<{ t: string }, z.output<typeof Output>>(routeMeta as PromptMeta, { InputSchema: z.object({ t: z.string() }), OutputSchema: Output }, (i) => [{ role: "user", content: i.t }]);
  /** The server holds every request open; resolves when the first arrives. */
  const hangEveryRequest = (): Promise<void> =>
    new Promise((arrived) => {
      server.setHandler(() => {
        arrived();
        return { hang: true };
      });
    });
  const worker = (over: Partial<Parameters<typeof startWorker>[0]> = {}) => {
    const w = startWorker({ prompts: [fn], jobs, runtime, pollMs: 10, leaseMs: 5000, ...over });
    workers.push(w);
    return w;
  };

  it("queues at once, a worker runs it, and the typed output is kept with the call's record id", async () => {
    server.setHandler(() => ({ json: { queue: "billing" } }));
    const { id } = await jobs.enqueue(fn, { t: "charged twice" }, { user: "ana", feature: "support" });
    expectTypeOf(id).toEqualTypeOf<JobId<{ queue: "billing" | "technical" }>>();
    expect(await jobs.get(id)).toMatchObject({ status: "queued", attempts: 0, user: "ana", feature: "support" });
    worker();
    const done = await jobs.wait(id);
    expectTypeOf(done).toEqualTypeOf<JobInfo<{ queue: "billing" | "technical" }>>();
    expect(done).toMatchObject({ status: "succeeded", output: { queue: "billing" }, attempts: 1, promptId: "t/route", version: 1 });
    expect(done.callIds).toHaveLength(1);
    expect(runtime.memory.records.at(-1)).toMatchObject({ callId: done.callIds[0], user: "ana", feature: "support" });
  });

  it("fn.enqueue goes through the configured jobs", async () => {
    const { configureJobs } = await import("./jobs.js");
    const configured = configureJobs({ store: jobs.store });
    try {
      server.setHandler(() => ({ json: { queue: "technical" } }));
      const { id } = await fn.enqueue({ t: "crash" });
      worker({ jobs: configured });
      expect(await configured.wait(id)).toMatchObject({ status: "succeeded", output: { queue: "technical" } });
    } finally {
      // Test files share modules (vitest.config.ts): leave no configured jobs whose store afterEach closes.
      configureJobs({ store: new SqliteJobStore(join(dir, "unused.sqlite")) });
    }
  });

  it("runs a job enqueued twice with one jobId once", async () => {
    server.setHandler(() => ({ json: { queue: "billing" } }));
    const first = await jobs.enqueue(fn, { t: "a" }, { jobId: "order-42" });
    const second = await jobs.enqueue(fn, { t: "a" }, { jobId: "order-42" });
    expect([first, second]).toEqual([{ id: "order-42", created: true }, { id: "order-42", created: false }]);
    worker();
    await jobs.wait(first.id);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects an invalid input at enqueue and queues nothing", async () => {
    const e = await jobs.enqueue(fn, { t: 3 } as unknown as { t: string }, { jobId: "bad" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputValidationError);
    await expect(jobs.get("bad")).resolves.toBeUndefined();
  });

  it("keeps a failed call's typed error, and tells onComplete", async () => {
    server.setHandler(() => ({ status: 400 }));
    const ended: JobInfo[] = [];
    jobs.onComplete((j) => ended.push(j));
    const { id } = await jobs.enqueue(fn, { t: "x" });
    worker();
    const done = await jobs.wait(id);
    expect(done).toMatchObject({ status: "failed", error: { code: "E_ALL_MODELS_FAILED", message: expect.stringContaining("every model of the chain failed") } });
    expect(done.callIds).toHaveLength(1);
    await vi.waitFor(() => expect(ended.map((j) => [j.id, j.status, j.error?.code])).toEqual([[id, "failed", "E_ALL_MODELS_FAILED"]]));
  });

  it("never calls a model for a job cancelled while queued", async () => {
    const { id } = await jobs.enqueue(fn, { t: "x" });
    expect(await jobs.cancel(id)).toBe(true);
    worker();
    expect(await jobs.wait(id)).toMatchObject({ status: "cancelled" });
    await jobs.enqueue(fn, { t: "after" }).then(({ id: next }) => jobs.wait(next)); // the worker has looked since
    expect(server.requests.map((r) => ticketOf(r))).toEqual(["after"]);
  });

  it("aborts the call of a job cancelled while running, and keeps it cancelled", async () => {
    const inFlight = hangEveryRequest();
    const { id } = await jobs.enqueue(fn, { t: "slow" });
    worker();
    await inFlight;
    expect(await jobs.cancel(id)).toBe(true);
    await server.idle(5000); // the connection was closed by the abort
    expect(await jobs.get(id)).toMatchObject({ status: "cancelled" });
    expect(server.requests).toHaveLength(1);
  });

  it("wait: an unknown id, a timeout and an abort are typed", async () => {
    await expect(jobs.wait("nope")).rejects.toBeInstanceOf(UnknownJobError);
    const { id } = await jobs.enqueue(fn, { t: "x" }); // no worker: it stays queued
    await expect(jobs.wait(id, { timeoutMs: 20 })).rejects.toBeInstanceOf(JobWaitTimeoutError);
    const controller = new AbortController();
    const waiting = jobs.wait(id, { signal: controller.signal });
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
  });

  it("a job whose workers keep stopping fails with E_WORKER_LOST instead of running forever", async () => {
    const { id } = await jobs.enqueue(fn, { t: "poison" });
    // Three workers take it and stop at once: each lease is over as it begins.
    for (let t = 1; t <= 3; t++) {
      await vi.waitFor(async () => expect(await jobs.store.claim(`dead-${t}`, ["t/route"], Date.now() - 1, Date.now())).toBeDefined(), { timeout: 5000, interval: 10 });
    }
    worker({ maxWorkerLosses: 3 });
    expect(await jobs.wait(id)).toMatchObject({ status: "failed", attempts: 4, error: { code: "E_WORKER_LOST" } });
    expect(server.requests).toHaveLength(0);
  });

  it("1,000 jobs queued during a full outage all succeed once it ends, each call answered once", async () => {
    let down = true;
    const answered = new Map<string, number>();
    server.setHandler((request) => {
      if (down) return { status: 503 };
      const ticket = ticketOf(request);
      answered.set(ticket, (answered.get(ticket) ?? 0) + 1);
      return { json: { queue: "billing" }, usage: { input: 10, output: 2 } };
    });
    const breaking = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL } }, breakers: { threshold: 5, cooldownMs: 20 }, prices: { "openai:gpt-a": { input: 1, output: 2 } }, sleep: async () => {} });
    const ids = [];
    for (let i = 0; i < 1000; i++) ids.push((await jobs.enqueue(fn, { t: `ticket ${i}` })).id);
    worker({ runtime: breaking, concurrency: 8, outageRetryMs: 5 });
    // Every job has met the outage (and been put back) before it ends.
    await vi.waitFor(async () => {
      for (const id of ids) expect((await jobs.get(id))!.attempts).toBeGreaterThanOrEqual(1);
    }, { timeout: 20_000, interval: 50 });
    expect(answered.size).toBe(0);
    down = false;
    const done = await Promise.all(ids.map((id) => jobs.wait(id)));
    expect(done.filter((j) => j.status === "succeeded")).toHaveLength(1000);
    expect([...answered.values()].every((n) => n === 1)).toBe(true);
    expect(answered.size).toBe(1000);
    // Spend equals what the server served: each job's successful call, billed once.
    const spent = breaking.memory.records.filter((r) => r.valid).reduce((sum, r) => sum + r.costUsd, 0);
    expect(spent).toBeCloseTo(1000 * (10 * 1 + 2 * 2) / 1e6, 9);
    expect(done.some((j) => j.attempts > 1)).toBe(true);
  });

  it("a prompt that says on_outage: fallback ends at once with the call's own answer", async () => {
    server.setHandler(() => ({ status: 503 }));
    const degrading = definePrompt<{ t: string }, z.output<typeof Output>>({ ...routeMeta, id: "t/degrade", policies: { ...routeMeta.policies, fallback: { kind: "value", value: { queue: "technical" } }, job: { maxAgeMs: 60_000, onOutage: "fallback" } } } as PromptMeta, { InputSchema: z.object({ t: z.string() }), OutputSchema: Output }, (i) => [{ role: "user", content: i.t }]);
    const { id } = await jobs.enqueue(degrading, { t: "x" });
    worker({ prompts: [degrading] });
    expect(await jobs.wait(id)).toMatchObject({ status: "succeeded", output: { queue: "technical" }, attempts: 1 });
  });

  it("a job past its max_age ends as its call did", async () => {
    server.setHandler(() => ({ status: 503 }));
    const brief = definePrompt<{ t: string }, z.output<typeof Output>>({ ...routeMeta, id: "t/brief", policies: { ...routeMeta.policies, job: { maxAgeMs: 1, onOutage: "wait" } } } as PromptMeta, { InputSchema: z.object({ t: z.string() }), OutputSchema: Output }, (i) => [{ role: "user", content: i.t }]);
    const { id } = await jobs.enqueue(brief, { t: "x" });
    worker({ prompts: [brief] });
    expect(await jobs.wait(id)).toMatchObject({ status: "failed", attempts: 1, error: { code: "E_ALL_MODELS_FAILED" } });
  });

  it("a worker killed mid-job: once its lease runs out, another worker runs the job, and the job is charged once", async () => {
    const inFlight = hangEveryRequest();
    const { store, place } = fresh();
    const shared = new Jobs({ store });
    const budgets = await backend.budgets(place);
    const { id } = await shared.enqueue(fn, { t: "long summary" });
    const env = { ...process.env, ...backend.env(place), ...backend.budgetEnv(place), MOCK_URL: server.openaiBaseURL, LEASE_MS: "300" };
    const child = spawn(process.execPath, [fileURLToPath(new URL("./__fixtures__/job-worker.mjs", import.meta.url))], { env, stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_, signal) => r(signal)));
    await inFlight; // the doomed worker has the job, has reserved its worst case and is calling the model
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(await shared.get(id)).toMatchObject({ status: "running", attempts: 1 });
    const reserved = await budgets.spent(routeBudgetKey());
    expect(reserved).toBeGreaterThan(0); // the dead attempt's reservation, never settled
    server.setHandler(() => ({ json: { queue: "billing" }, usage: { input: 10, output: 2 } }));
    const priced = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL } }, store: budgets, prices: routePrices });
    workers.push(startWorker({ prompts: [fn], jobs: shared, runtime: priced, pollMs: 10, leaseMs: 300 }));
    expect(await shared.wait(id)).toMatchObject({ status: "succeeded", output: { queue: "billing" }, attempts: 2 });
    // Charged once: the dead attempt's reservation was released when the job ran again; what
    // stands is the completed call's cost, 10 input and 2 output tokens at 1 and 2 USD per million.
    const cost = priced.memory.records.at(-1)!.costUsd;
    expect(cost).toBeCloseTo((10 * 1 + 2 * 2) / 1e6, 12);
    expect(await budgets.spent(routeBudgetKey())).toBe(toNanos(cost));
    await budgets.close();
    await shared.store.close();
  });

  it("1,000 jobs on two worker processes through a full outage, one process killed halfway: every job succeeds, only the killed worker's calls in flight run twice, and each job is charged once", async () => {
    const answered = new Map<string, number>();
    // The server is down until every job has met the outage, then up.
    let down = true;
    server.setHandler((request) => {
      if (down) return { status: 503 };
      const ticket = ticketOf(request);
      answered.set(ticket, (answered.get(ticket) ?? 0) + 1);
      return { json: { queue: "billing" }, delayMs: 2, usage: { input: 10, output: 2 } };
    });
    const { store, place } = fresh();
    const budgets = await backend.budgets(place);
    const shared = new Jobs({ store });
    const ids = [];
    for (let i = 0; i < 1000; i++) ids.push((await shared.enqueue(fn, { t: `ticket ${i}` })).id);
    const script = fileURLToPath(new URL("./__fixtures__/job-worker.mjs", import.meta.url));
    const start = (name: string) => {
      // A lease long enough that a live worker slowed by a busy machine keeps its jobs: only the killed one's are taken over.
      const child = spawn(process.execPath, [script], { env: { ...process.env, ...backend.env(place), ...backend.budgetEnv(place), MOCK_URL: server.openaiBaseURL, LEASE_MS: "2000", CONCURRENCY: "4", WORKER_ID: name, OUTAGE_RETRY_MS: "50", BREAKER_COOLDOWN_MS: "100" }, stdio: ["ignore", "ignore", "inherit"] });
      return { child, exited: new Promise<void>((r) => child.on("exit", () => r())) };
    };
    const a = start("a");
    const b = start("b");
    try {
      await vi.waitFor(async () => expect((await shared.list({ limit: 1000 })).filter((j) => j.attempts >= 1)).toHaveLength(1000), { timeout: 30_000, interval: 250 });
      expect(answered.size).toBe(0);
      down = false;
      await vi.waitFor(async () => expect((await shared.list({ status: "succeeded", limit: 1000 })).length).toBeGreaterThanOrEqual(500), { timeout: 30_000, interval: 20 });
      a.child.kill("SIGKILL");
      await a.exited;
      const done = await Promise.all(ids.map((id) => shared.wait(id, { timeoutMs: 60_000 })));
      expect(done.filter((j) => j.status === "succeeded")).toHaveLength(1000);
      // Each run that ended is recorded (the outage's failed calls, then the completed one); a killed run is not.
      expect(done.filter((j) => j.callIds.length < 2 || j.callIds.length > j.attempts)).toEqual([]);
      expect(answered.size).toBe(1000);
      const twice = [...answered.values()].filter((n) => n > 1).length;
      expect(twice).toBeLessThanOrEqual(4); // at most the killed worker's 4 calls in flight
      // Taken over from the killed worker (its lease ran out), as the store counts it.
      const retaken = (await Promise.all(done.map((j) => shared.store.get(j.id)))).filter((j) => j!.lost > 0);
      expect(retaken.length).toBeGreaterThanOrEqual(twice);
      expect(retaken.length).toBeLessThanOrEqual(4);
      // Spend is whole calls at 10 and 2 tokens (14 µUSD each): no reservation of the killed worker
      // lingers (each is a worst case of ~340 µUSD). At least every job's completed call; at most
      // every call served, since a call the killed worker settled but whose job it never ended was billed.
      const call = toNanos((10 * 1 + 2 * 2) / 1e6);
      const spent = await budgets.spent(routeBudgetKey());
      expect(spent % call).toBe(0);
      expect(spent / call).toBeGreaterThanOrEqual(1000);
      expect(spent / call).toBeLessThanOrEqual([...answered.values()].reduce((a, b) => a + b, 0));
    } finally {
      b.child.kill("SIGKILL");
      a.child.kill("SIGKILL");
      await Promise.all([a.exited, b.exited]);
      await shared.store.close();
      await budgets.close();
    }
  }, 90_000);
});
