// Jobs: `fn.enqueue(input)` returns an id at once; a worker (worker.ts) runs the call later, in
// this process or another, and its output or typed error is kept until asked for. The store is
// the SQLite file by default (no setup, survives restarts), BullMQ on Redis when
// PROMPTC_JOBS_REDIS names one (many workers on many machines): configureJobs({ store }) for another.
import { EventEmitter } from "node:events";
import { join, resolve } from "node:path";
import type { EnqueueOptions, JobError, JobId, JobInfo, JobStatus, JobStore, StoredJob } from "../contract/jobs.js";
import type { CallSettings, PromptMeta } from "../contract/prompt.js";
import type { CallRecord } from "../contract/records.js";
import type { Runtime } from "../runtime.js";
import type { Reviews } from "../reviews/reviews.js";
import { pauseUntil } from "../pure/wake.js";
import { JobWaitTimeoutError, UnknownJobError } from "./job-errors.js";
import { BullMqJobStore } from "./bullmq-job-store.js";
import { SqliteJobStore } from "./sqlite-job-store.js";

/** What jobs need of a generated prompt function. */
export interface JobPrompt<I, O> {
  readonly meta: PromptMeta;
  /** Validates the input (InputValidationError) without calling anything. */
  render(input: I): Promise<unknown>;
  withRecord(input: I, options?: CallSettings & { runtime?: Runtime }): Promise<{ output: O; record: CallRecord }>;
}

export interface JobsOptions {
  /**
   * Where jobs live. Default: BullMQ on the Redis at PROMPTC_JOBS_REDIS when set; else a SQLite
   * file, PROMPTC_JOBS_DB or .promptc/jobs.sqlite in the working directory.
   */
  store?: JobStore;
  /** The clock (tests). */
  now?: () => number;
  /** Where the reviews of jobs whose output needs one are (default: getReviews()). */
  reviews?: Reviews;
}

export class Jobs {
  readonly store: JobStore;
  readonly now: () => number;
  /**
   * In this process: "queued" (a job was added: wakes idle workers), "cancelled" (aborts its call at
   * once in a worker here), "ended" (a worker here ended a job: wakes waiters, tells onComplete).
   */
  readonly events = new EventEmitter().setMaxListeners(0);

  constructor(options: JobsOptions = {}) {
    this.store = options.store ?? defaultStore(process.env);
    this.now = options.now ?? Date.now;
    this.reviews = options.reviews;
  }
  private readonly reviews: Reviews | undefined;

  /**
   * Queues a call of `prompt` and returns its id at once. The input is validated first: an
   * invalid one rejects with InputValidationError and queues nothing.
   */
  async enqueue<I, O>(prompt: JobPrompt<I, O>, input: I, options: EnqueueOptions = {}): Promise<{ id: JobId<O>; created: boolean }> {
    await prompt.render(input);
    const { meta } = prompt;
    const now = this.now();
    const { job, created } = await this.store.add({
      id: options.jobId ?? globalThis.crypto.randomUUID(),
      promptId: meta.id, version: meta.version, hash: meta.hash,
      input: JSON.stringify(input),
      priority: options.priority ?? 0,
      runAt: now + Math.max(0, options.delayMs ?? 0),
      user: options.user ?? null,
      feature: options.feature ?? null,
    }, now);
    if (job.promptId !== meta.id) throw new TypeError(`jobId ${job.id} is already a job of \`${job.promptId}\`, not of \`${meta.id}\``);
    if (created) this.events.emit("queued", job.promptId);
    return { id: job.id as JobId<O>, created };
  }

  /** The job as it stands, or undefined for an id no job has. */
  async get<O>(id: JobId<O>): Promise<JobInfo<O> | undefined> {
    const job = await this.store.get(id);
    return job && this.info<O>(job);
  }

  /** A job as callers see it: one whose output waits for a review has the review's standing. */
  private async info<O>(job: StoredJob): Promise<JobInfo<O>> {
    const info = infoOf<O>(job);
    if (job.reviewId === null || job.status !== "succeeded") return info;
    // The reviews module (and its store) loads only for jobs that have a review.
    const reviews = this.reviews ?? (await import("../reviews/reviews.js")).getReviews();
    const outcome = await reviews.outcome<O>(job.reviewId);
    const { output: _unreviewed, ...rest } = info;
    if (outcome.status === "pending") return { ...rest, status: "awaiting_review" };
    if (outcome.status === "approved") return { ...rest, output: outcome.output };
    return { ...rest, status: "failed", error: { code: "E_REVIEW_REJECTED", message: `a reviewer rejected the output: ${outcome.reason}` } };
  }

  /**
   * Waits until the job has ended (succeeded, failed or cancelled) and returns it. Rejects with
   * UnknownJobError for an id no job has, JobWaitTimeoutError after `timeoutMs`, or the signal's
   * reason when it aborts. A job ended by this process's workers is seen at once; one ended
   * elsewhere within 250 ms.
   */
  async wait<O>(id: JobId<O>, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<JobInfo<O>> {
    const { signal, timeoutMs } = options;
    const deadline = timeoutMs === undefined ? Infinity : this.now() + timeoutMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
      signal?.throwIfAborted();
      const job = await this.get(id);
      if (!job) throw new UnknownJobError(id);
      if (job.status === "succeeded" || job.status === "failed" || job.status === "cancelled") return job; // awaiting_review waits on
      const left = deadline - this.now();
      if (left <= 0) throw new JobWaitTimeoutError(id, job.status, timeoutMs!);
      await pauseUntil<JobInfo>(this.events, "ended", (job) => job.id === id, Math.min(pause, left), signal);
    }
  }

  /** Cancels a queued or running job: no model is called for it afterwards. False when it had already ended. */
  async cancel(id: JobId): Promise<boolean> {
    const cancelled = await this.store.cancel(id, this.now());
    if (cancelled) this.events.emit("cancelled", id);
    return cancelled;
  }

  /** Queues a failed or cancelled job again (its attempts reset, its call ids kept); false for one that has not ended that way. */
  async retry(id: JobId): Promise<boolean> {
    const queued = await this.store.retry(id, this.now());
    if (queued) {
      const job = await this.store.get(id);
      if (job) this.events.emit("queued", job.promptId);
    }
    return queued;
  }

  /** Jobs newest first (default 50), optionally of one status and one prompt. */
  async list(filter: { status?: JobStatus; promptId?: string; limit?: number } = {}): Promise<JobInfo[]> {
    const limit = filter.limit ?? 50;
    // A job awaiting review, or failed by a rejection, is a succeeded job in the store.
    const stored = filter.status === "awaiting_review" ? ["succeeded" as const] : filter.status === "failed" ? ["failed" as const, "succeeded" as const] : [filter.status];
    const rows = (await Promise.all(stored.map((status) => this.store.list({ ...filter, ...(status ? { status } : {}), limit })))).flat();
    const infos = await Promise.all(rows.map((j) => this.info(j)));
    return infos
      .filter((j) => !filter.status || j.status === filter.status)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
  }

  /** Called with every job this process's workers end (succeeded or failed); returns the unsubscribe. */
  onComplete(listener: (job: JobInfo) => void): () => void {
    const safe = (job: JobInfo) => {
      try {
        listener(job);
      } catch {
        /* a listener's failure must not stop the worker */
      }
    };
    this.events.on("ended", safe);
    return () => void this.events.off("ended", safe);
  }
}

export function infoOf<O>(job: StoredJob): JobInfo<O> {
  return {
    id: job.id as JobId<O>, promptId: job.promptId, version: job.version, hash: job.hash, status: job.status,
    ...(job.output !== null ? { output: JSON.parse(job.output) as O } : {}),
    ...(job.error !== null ? { error: JSON.parse(job.error) as JobError } : {}),
    attempts: job.attempts, callIds: JSON.parse(job.callIds) as string[], ...(job.reviewId ? { reviewId: job.reviewId } : {}), priority: job.priority, user: job.user, feature: job.feature,
    createdAt: new Date(job.createdAt).toISOString(), updatedAt: new Date(job.updatedAt).toISOString(),
  };
}

/** The store the environment names: BullMQ at PROMPTC_JOBS_REDIS, else the SQLite file at PROMPTC_JOBS_DB or .promptc/jobs.sqlite. */
function defaultStore(env: Record<string, string | undefined>, cwd = process.cwd()): JobStore {
  const redis = env["PROMPTC_JOBS_REDIS"];
  if (redis) return new BullMqJobStore(redis);
  return new SqliteJobStore(env["PROMPTC_JOBS_DB"] ? resolve(cwd, env["PROMPTC_JOBS_DB"]) : join(cwd, ".promptc", "jobs.sqlite"));
}

let current: Jobs | undefined;

/** Sets the jobs every generated function's `enqueue` uses. */
export function configureJobs(options: JobsOptions = {}): Jobs {
  current = new Jobs(options);
  return current;
}

/** The jobs generated functions use: configured, or the SQLite file in the working directory. */
export function getJobs(): Jobs {
  return (current ??= new Jobs());
}
