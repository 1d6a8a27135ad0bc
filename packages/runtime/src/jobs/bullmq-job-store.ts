// Jobs in Redis through BullMQ: many workers on many machines share one queue. BullMQ owns the
// queue (priorities, delays, locks, and moving a job whose worker stopped renewing its lock back
// to the queue); this file maps the JobStore contract onto its manual-fetch API:
//   claim   → Worker.getNextJob (the lock is the lease, the worker id its token)
//   renew   → Job.extendLock          finish → Job.moveToCompleted / moveToFailed
//   release → Job.moveToDelayed       retry  → Job.retry("failed")
// One BullMQ queue per prompt id, so a worker takes only the prompts it runs. What BullMQ has no
// word for lives beside it under `<prefix>:promptc:`: which queue a job id is in, the prompt ids
// seen, and cancellations (a cancelled job still queued is failed by the next worker to fetch it,
// before any call).
import { createRequire } from "node:module";
import type { Job, Queue, Worker } from "bullmq";
import type { Redis as RedisClient, RedisOptions } from "ioredis";
import type { JobEnd, JobStatus, JobStore, NewJob, StoredJob } from "../contract/jobs.js";

export interface BullMqJobStoreOptions {
  /** BullMQ's key prefix (default `bull`). */
  prefix?: string;
  /** How often a worker process looks for jobs whose lease ran out (default 5 s); one looks at a time. */
  stalledCheckMs?: number;
  /** Passed to ioredis. */
  redis?: RedisOptions;
}

/** What a job carries in BullMQ's `data`. */
interface Data {
  nonce: string;
  input: string;
  version: number;
  hash: string;
  priority: number;
  runAt: number;
  user: string | null;
  feature: string | null;
  createdAt: number;
  /** Call ids of runs that ended without ending the job (an outage waited out). */
  callIds: string;
}

/** A finished job's result (returnvalue) or failure (failedReason, as JSON). */
interface Ending {
  output?: string | null;
  error?: string | null;
  callIds: string;
  reviewId?: string | null;
  cancelled?: boolean;
}

// BullMQ runs the lowest number first, from 1 to 2^21; ours run the highest first.
const PRIORITY_LIMIT = 2_097_152;
const bullPriority = (p: number) => Math.min(PRIORITY_LIMIT, Math.max(1, 1_048_576 - Math.trunc(p)));

const QUEUED_STATES = ["waiting", "prioritized", "delayed", "waiting-children"] as const;

export class BullMqJobStore implements JobStore {
  private readonly bull: typeof import("bullmq");
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly stalledCheckMs: number;
  private readonly queues = new Map<string, Queue>();
  private readonly fetchers = new Map<string, Worker>();
  private turn = 0;
  /** Jobs this process's workers hold, so renewing and ending one needs no lookup. */
  private readonly running = new Map<string, Job<Data>>();
  private readonly keys: { prompts: string; owner: string; cancelled: string };

  /** Connects to `url` (`redis://127.0.0.1:6379`). Needs the optional peer dependencies bullmq and ioredis. */
  constructor(
    readonly url: string,
    options: BullMqJobStoreOptions = {},
  ) {
    const require = createRequire(import.meta.url);
    let Redis: typeof RedisClient;
    try {
      this.bull = require("bullmq") as typeof import("bullmq");
      ({ Redis } = require("ioredis") as typeof import("ioredis"));
    } catch (e) {
      throw new Error(`BullMqJobStore needs bullmq and ioredis: npm install bullmq ioredis (${(e as Error).message})`, { cause: e });
    }
    // BullMQ's workers need commands that wait for Redis rather than fail (maxRetriesPerRequest: null).
    this.redis = new Redis(url, { maxRetriesPerRequest: null, ...options.redis });
    this.redis.on("error", () => {}); // reported per command; the client reconnects
    this.prefix = options.prefix ?? "bull";
    this.stalledCheckMs = options.stalledCheckMs ?? 5000;
    const own = `${this.prefix}:promptc:`;
    this.keys = { prompts: own + "prompts", owner: own + "job-prompt", cancelled: own + "cancelled" };
  }

  async add(j: NewJob, now: number): Promise<{ job: StoredJob; created: boolean }> {
    if (j.id.includes(":") || `${parseInt(j.id, 10)}` === j.id) throw new TypeError(`jobId "${j.id}": a BullMQ job id may not contain ":" or be an integer`);
    if (j.promptId.includes(":")) throw new TypeError(`prompt id "${j.promptId}": a BullMQ queue name may not contain ":"`);
    // The first add of an id names its queue; a second add for another prompt finds the first job.
    const [[, first]] = (await this.redis.multi().hsetnx(this.keys.owner, j.id, j.promptId).sadd(this.keys.prompts, j.promptId).exec()) as [[null, number], unknown];
    if (!first) {
      const existing = await this.get(j.id);
      if (existing && existing.promptId !== j.promptId) return { job: existing, created: false };
    }
    const nonce = globalThis.crypto.randomUUID();
    const data: Data = { nonce, input: j.input, version: j.version, hash: j.hash, priority: j.priority, runAt: j.runAt, user: j.user, feature: j.feature, createdAt: now, callIds: "[]" };
    // BullMQ adds a job id once: a second add returns without changing the first.
    await this.queue(j.promptId).add(j.promptId, data, {
      jobId: j.id, priority: bullPriority(j.priority), delay: Math.max(0, j.runAt - now), attempts: 1, removeOnComplete: false, removeOnFail: false,
    });
    const job = await this.job(j.promptId, j.id);
    if (!job) throw new Error(`job ${j.id} was added to BullMQ but cannot be read back`);
    const created = job.data.nonce === nonce;
    // A job just added is queued, and no one can have cancelled an id they have not been given.
    return { job: created ? this.shaped(job, "waiting", null, null, null) : await this.stored(job), created };
  }

  async claim(worker: string, promptIds: readonly string[], leaseUntil: number, now: number): Promise<StoredJob | undefined> {
    const leaseMs = Math.max(1, leaseUntil - now);
    const start = this.turn++;
    for (let i = 0; i < promptIds.length; i++) {
      const fetcher = this.fetcher(promptIds[(start + i) % promptIds.length]!, leaseMs);
      for (;;) {
        const job = (await fetcher.getNextJob(worker, { block: false })) as Job<Data> | undefined;
        if (!job) break;
        if (await this.redis.hexists(this.keys.cancelled, job.id!)) {
          // Cancelled while queued: end it here, before any call.
          await job.moveToFailed(new Error(JSON.stringify({ cancelled: true, callIds: job.data.callIds } satisfies Ending)), worker, false).catch(() => {});
          continue;
        }
        this.running.set(job.id!, job);
        return this.shaped(job, "active", null, worker, leaseUntil);
      }
    }
    return undefined;
  }

  async renew(id: string, worker: string, leaseUntil: number, now: number): Promise<boolean> {
    const job = this.running.get(id) ?? (await this.find(id));
    const mine = !!job && !(await this.redis.hexists(this.keys.cancelled, id)) && (await job.extendLock(worker, Math.max(1, leaseUntil - now))) === 1;
    if (!mine) this.running.delete(id); // the worker lets go of a job it can no longer renew
    return mine;
  }

  async finish(id: string, worker: string, end: JobEnd, _now: number): Promise<boolean> {
    const job = this.running.get(id) ?? (await this.find(id));
    this.running.delete(id);
    if (!job || (await this.redis.hexists(this.keys.cancelled, id))) return false;
    try {
      if (end.status === "succeeded") await job.moveToCompleted({ output: end.output, callIds: end.callIds, reviewId: end.reviewId ?? null } satisfies Ending, worker, false);
      else await job.moveToFailed(new Error(JSON.stringify({ error: end.error, callIds: end.callIds } satisfies Ending)), worker, false);
      return true;
    } catch {
      return false; // BullMQ refuses a job whose lock is not this worker's: nothing was written
    }
  }

  async release(id: string, worker: string, runAt: number, callIds: string, now: number): Promise<boolean> {
    const job = this.running.get(id) ?? (await this.find(id));
    this.running.delete(id);
    if (!job || (await this.redis.hexists(this.keys.cancelled, id))) return false;
    // Refused (0) when the lock is not this worker's, before anything is written.
    if ((await job.extendLock(worker, Math.max(1, runAt - now) + 60_000)) !== 1) return false;
    await job.updateData({ ...job.data, callIds, runAt });
    try {
      await job.moveToDelayed(Math.max(runAt, now), worker);
      return true;
    } catch {
      return false;
    }
  }

  async cancel(id: string, now: number): Promise<boolean> {
    const job = await this.find(id);
    if (!job) return false;
    const state = await job.getState();
    if (state === "completed" || state === "failed" || state === "unknown") return false;
    return (await this.redis.hsetnx(this.keys.cancelled, id, now)) === 1;
  }

  async retry(id: string, now: number): Promise<boolean> {
    const job = await this.find(id);
    if (!job) return false;
    const state = await job.getState();
    const cancelled = await this.redis.hexists(this.keys.cancelled, id);
    if (state !== "failed" && !(cancelled && state !== "completed")) return false;
    await job.updateData({ ...job.data, runAt: now, createdAt: job.data.createdAt });
    if (state === "failed") await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    // Cancelled while still queued: to the back of its priority, as if queued now.
    else if (state === "prioritized" || state === "waiting") await job.changePriority({ priority: bullPriority(job.data.priority) });
    await this.redis.multi().hdel(this.keys.cancelled, id).hset(`${this.prefix}:${job.queueName}:${id}`, "stc", 0, "ats", 0).exec();
    return true;
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const promptId = await this.redis.hget(this.keys.owner, id);
    if (promptId === null) return undefined;
    // The state first: a job's data is then at least as new as its state (each move is one script).
    const state = await this.queue(promptId).getJobState(id);
    const job = await this.job(promptId, id);
    return job && this.stored(job, state);
  }

  async list(filter: { status?: JobStatus; promptId?: string; limit: number }): Promise<StoredJob[]> {
    const promptIds = filter.promptId ? [filter.promptId] : await this.redis.smembers(this.keys.prompts);
    const all = new Map<string, StoredJob>();
    for (const promptId of promptIds) {
      for (const state of [...QUEUED_STATES, "active", "completed", "failed"] as const) {
        // Each state's jobs as read with it: a job that moved since is listed as it was.
        for (const job of (await this.queue(promptId).getJobs(state, 0, -1)) as Job<Data>[]) {
          if (!job) continue; // removed between the listing and the read
          const stored = await this.stored(job, state);
          if ((!filter.status || stored.status === filter.status) && !all.has(stored.id)) all.set(stored.id, stored);
        }
      }
    }
    return [...all.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, filter.limit);
  }

  async close(): Promise<void> {
    await Promise.all([...this.fetchers.values()].map((w) => w.close(true)));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.redis.disconnect();
  }

  private queue(promptId: string): Queue {
    let queue = this.queues.get(promptId);
    if (!queue) this.queues.set(promptId, (queue = new this.bull.Queue(promptId, { connection: this.redis, prefix: this.prefix })));
    return queue;
  }

  /**
   * The BullMQ worker this process fetches a prompt's jobs with, and that looks for jobs whose
   * lease ran out. One per lease length: BullMQ sets the lock as it hands the job out, and a lock
   * extended afterwards could already have run out.
   */
  private fetcher(promptId: string, leaseMs: number): Worker {
    const key = `${leaseMs} ${promptId}`;
    let worker = this.fetchers.get(key);
    if (!worker) {
      // maxStalledCount is left to startWorker's maxWorkerLosses, which fails the job with its own typed error.
      worker = new this.bull.Worker(promptId, null, {
        connection: this.redis, prefix: this.prefix, autorun: false, lockDuration: leaseMs, stalledInterval: this.stalledCheckMs, maxStalledCount: 1_000_000,
      });
      worker.on("error", () => {}); // a failed stalled check is retried at the next interval
      void worker.startStalledCheckTimer().catch(() => {});
      this.fetchers.set(key, worker);
    }
    return worker;
  }

  private async find(id: string): Promise<Job<Data> | undefined> {
    const promptId = await this.redis.hget(this.keys.owner, id);
    return promptId === null ? undefined : this.job(promptId, id);
  }

  private async job(promptId: string, id: string): Promise<Job<Data> | undefined> {
    return (await this.bull.Job.fromId(this.queue(promptId), id)) as Job<Data> | undefined;
  }

  private async stored(job: Job<Data>, known?: string): Promise<StoredJob> {
    const id = job.id!;
    const [state, cancelledAt] = await Promise.all([known ?? job.getState(), this.redis.hget(this.keys.cancelled, id)]);
    let worker: string | null = null;
    let leaseUntil: number | null = null;
    if (state === "active" && cancelledAt === null) {
      const lock = `${this.prefix}:${job.queueName}:${id}:lock`;
      const [[, token], [, ttl]] = (await this.redis.multi().get(lock).pttl(lock).exec()) as [[null, string | null], [null, number]];
      worker = token;
      leaseUntil = ttl > 0 ? Date.now() + ttl : null;
    }
    return this.shaped(job, state, cancelledAt, worker, leaseUntil);
  }

  /** A BullMQ job in the contract's shape, from its state, its cancellation and its lease. */
  private shaped(job: Job<Data>, state: string, cancelledAt: string | null, worker: string | null, leaseUntil: number | null): StoredJob {
    const id = job.id!;
    const ending = state === "completed" ? (job.returnvalue as Ending) : state === "failed" ? (JSON.parse(job.failedReason) as Ending) : undefined;
    let status: JobStatus =
      state === "completed" ? "succeeded" : state === "failed" ? "failed" : state === "active" ? "running" : "queued";
    if ((cancelledAt !== null && status !== "succeeded" && status !== "failed") || ending?.cancelled) status = "cancelled";
    if (status !== "running") [worker, leaseUntil] = [null, null];
    const d = job.data;
    return {
      id, promptId: job.queueName, version: d.version, hash: d.hash, input: d.input, status, priority: d.priority, runAt: d.runAt,
      attempts: job.attemptsStarted ?? 0, lost: job.stalledCounter ?? 0, leaseUntil, worker,
      output: ending?.output ?? null, error: ending?.error ?? null, callIds: ending?.callIds ?? d.callIds, reviewId: ending?.reviewId ?? null,
      user: d.user, feature: d.feature, createdAt: d.createdAt,
      updatedAt: Math.max(d.createdAt, job.processedOn ?? 0, job.finishedOn ?? 0, cancelledAt === null ? 0 : Number(cancelledAt)),
    };
  }
}
