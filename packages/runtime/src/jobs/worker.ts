// A worker: takes jobs from the store, runs each as a call of its prompt, and writes how it
// ended. Each job is leased while it runs and the lease renewed; a worker that stops (killed,
// crashed, its machine gone) stops renewing, and once the lease runs out another worker takes
// the job again. A cancelled job's call is aborted at the next renewal, so no further attempt
// of it reaches a model. A call ended by an outage (outage.ts) puts the job back in the queue,
// later each time, until the prompt's `job.max_age`; then it ends as the call did.
import type { JobError, JobStore, StoredJob } from "../contract/jobs.js";
import type { ReviewHook } from "../define-prompt.js";
import type { CallRecord } from "../contract/records.js";
import { JOB_DEFAULTS } from "../pure/job-policy.js";
import { endedByOutage } from "./outage.js";
import type { PromptError } from "../errors/prompt-errors.js";
import type { Runtime } from "../runtime.js";
import { getJobs, infoOf, type JobPrompt, type Jobs } from "./jobs.js";

export interface WorkerOptions {
  /** The prompt functions this worker runs (e.g. `Object.values(await import("./generated/index.js"))`). */
  prompts: readonly JobPrompt<never, unknown>[];
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** How long a job stays this worker's without a renewal (default 30 s); renewed every third of it. */
  leaseMs?: number;
  /** How often an idle worker looks for jobs queued by other processes (default 250 ms). */
  pollMs?: number;
  /** Times a job may lose its worker (its lease ran out) before it fails with E_WORKER_LOST (default 3): a job that kills its workers stops. */
  maxWorkerLosses?: number;
  /** The first wait before a job ended by an outage runs again (default 1 s); doubled each time, up to 60 s. */
  outageRetryMs?: number;
  jobs?: Jobs;
  /** The runtime calls go through (default: the configured one). */
  runtime?: Runtime;
  /** Names this worker in the store (default: a random id). */
  id?: string;
}

export interface WorkerHandle {
  readonly id: string;
  /** Stops taking jobs and waits for the running ones to end. */
  stop(): Promise<void>;
}

export function startWorker(options: WorkerOptions): WorkerHandle {
  const jobs = options.jobs ?? getJobs();
  const { store } = jobs;
  const id = options.id ?? `worker-${globalThis.crypto.randomUUID()}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const maxWorkerLosses = options.maxWorkerLosses ?? 3;
  const outageRetryMs = options.outageRetryMs ?? 1000;
  const prompts = new Map<string, JobPrompt<never, unknown>>();
  for (const p of options.prompts) if (p?.meta) prompts.set(p.meta.id, p);
  const promptIds = [...prompts.keys()];
  if (!promptIds.length) throw new TypeError("startWorker needs the prompt functions it runs: startWorker({ prompts: [...] })");

  let stopping = false;
  /** Idle slots, woken by a job queued in this process or by stop(). */
  const idleSlots = new Set<() => void>();
  const wakeAll = () => idleSlots.forEach((wake) => wake());
  const onQueued = (promptId: string) => prompts.has(promptId) && wakeAll();
  jobs.events.on("queued", onQueued);

  const idle = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => done(), pollMs);
      const done = () => {
        clearTimeout(timer);
        idleSlots.delete(done);
        resolve();
      };
      idleSlots.add(done);
    });

  const slot = async (): Promise<void> => {
    while (!stopping) {
      let job: StoredJob | undefined;
      try {
        const now = jobs.now();
        job = await store.claim(id, promptIds, now + leaseMs, now);
        if (job) await run(job);
      } catch {
        // The store failed (busy past its timeout, gone): a job taken stays leased until its
        // lease runs out and is then taken again; this slot looks again after a pause.
        job = undefined;
      }
      if (!job) await idle();
    }
  };

  const run = async (job: StoredJob): Promise<void> => {
    const callIds = JSON.parse(job.callIds) as string[];
    if (job.lost >= maxWorkerLosses) {
      const error: JobError = { code: "E_WORKER_LOST", message: `the job's worker stopped before it ended ${job.lost} times` };
      return end(job, { status: "failed", output: null, error: JSON.stringify(error), callIds: job.callIds });
    }
    const prompt = prompts.get(job.promptId)!;
    // A prompt with `review:` is called as is; its output may then wait for a person (define-prompt.ts).
    const review = (prompt as { [REVIEW_HOOK]?: ReviewHook<never, unknown> })[REVIEW_HOOK];
    const controller = new AbortController();
    // Renewing the lease is also how a worker hears of a cancellation: the renewal is refused.
    const renewal = setInterval(() => {
      const now = jobs.now();
      store.renew(job.id, id, now + leaseMs, now).then((mine) => mine || controller.abort(new Error("the job was cancelled")), () => {});
    }, Math.max(1, Math.floor(leaseMs / 3)));
    const onCancel = (cancelled: string) => cancelled === job.id && controller.abort(new Error("the job was cancelled"));
    jobs.events.on("cancelled", onCancel);
    try {
      const input = JSON.parse(job.input) as never;
      const { output, record } = await (review ?? prompt).withRecord(input, {
        signal: controller.signal,
        jobId: job.id,
        ...(job.user !== null ? { user: job.user } : {}),
        ...(job.feature !== null ? { feature: job.feature } : {}),
        ...(options.runtime ? { runtime: options.runtime } : {}),
      });
      // The declared fallback value standing in for an outage: wait it out, as for the error.
      if (await waitOutOutage(job, prompt, record, callIds)) return;
      const reviewId = review ? await review.ask(input, output, record, job.id) : null;
      await end(job, { status: "succeeded", output: JSON.stringify(output), error: null, callIds: JSON.stringify([...callIds, record.callId]), reviewId });
    } catch (e) {
      if (controller.signal.aborted) return; // cancelled: the store already says so
      if (isPromptError(e) && e.callId && (await waitOutOutage(job, prompt, { errorCode: e.code, attempts: [...e.attempts] }, callIds, e.callId))) return;
      const error: JobError = isPromptError(e) ? { code: e.code, message: e.message } : { code: "E_INTERNAL", message: e instanceof Error ? e.message : String(e) };
      const ids = isPromptError(e) && e.callId ? [...callIds, e.callId] : callIds;
      await end(job, { status: "failed", output: null, error: JSON.stringify(error), callIds: JSON.stringify(ids) });
    } finally {
      clearInterval(renewal);
      jobs.events.off("cancelled", onCancel);
    }
  };

  /** Puts a job whose call an outage ended back in the queue, unless its prompt says not to or its max_age has passed. */
  const waitOutOutage = async (job: StoredJob, prompt: JobPrompt<never, unknown>, record: Pick<CallRecord, "errorCode" | "attempts">, callIds: string[], callId = (record as CallRecord).callId): Promise<boolean> => {
    const policy = prompt.meta.policies.job ?? JOB_DEFAULTS;
    if (policy.onOutage !== "wait" || !endedByOutage(record)) return false;
    const now = jobs.now();
    if (now - job.createdAt >= policy.maxAgeMs) return false;
    const delay = Math.min(60_000, outageRetryMs * 2 ** Math.min(job.attempts - 1, 16));
    return store.release(job.id, id, Math.min(now + delay, job.createdAt + policy.maxAgeMs), JSON.stringify([...callIds, callId]), now);
  };

  const end = async (job: StoredJob, result: Parameters<JobStore["finish"]>[2]): Promise<void> => {
    // Refused when the job is no longer this worker's (cancelled, or its lease ran out and another took it).
    const now = jobs.now();
    if (!(await store.finish(job.id, id, result, now))) return;
    // A job whose output waits for review has not ended: it ends when the review is decided.
    if (!result.reviewId) jobs.events.emit("ended", infoOf({ ...job, ...result, reviewId: null, leaseUntil: null, updatedAt: now }));
  };

  const slots = Array.from({ length: options.concurrency ?? 4 }, slot);
  return {
    id,
    stop: async () => {
      stopping = true;
      wakeAll();
      jobs.events.off("queued", onQueued);
      await Promise.all(slots);
    },
  };
}

/** The hook reviewed prompts carry (define-prompt.ts REVIEW_HOOK): registered, so no module is shared with the main entry. */
const REVIEW_HOOK = Symbol.for("promptc.review");

/**
 * A PromptError, told by its shape: importing the class would make the jobs entry share the
 * errors module with the main entry, and the bundle would split it out of what every import loads.
 */
function isPromptError(e: unknown): e is PromptError {
  return e instanceof Error && typeof (e as PromptError).code === "string" && (e as PromptError).code.startsWith("E_") && typeof (e as PromptError).promptId === "string";
}
