// Jobs: a call queued now and run by a worker later, kept in a store so that it outlives the
// request that queued it and the worker that runs it. Types only.
import type { PromptErrorCode } from "./error-codes.js";

/** `awaiting_review`: its call succeeded and a person must decide its output (the prompt's `review:`) before it ends. */
export type JobStatus = "queued" | "running" | "awaiting_review" | "succeeded" | "failed" | "cancelled";

/**
 * How a job ended badly: its call's PromptError code and message; E_WORKER_LOST when every worker
 * that took it stopped before it ended; E_INTERNAL for an error that is not a PromptError (a bug);
 * E_REVIEW_REJECTED when a person rejected its output (or its review timed out, set to reject).
 */
export interface JobError {
  code: PromptErrorCode | "E_WORKER_LOST" | "E_INTERNAL" | "E_REVIEW_REJECTED";
  message: string;
}

/** A job id that remembers the output type of its prompt, so `jobs.get(id)` is typed. */
export type JobId<O = unknown> = string & { readonly __output?: O };

export interface EnqueueOptions {
  /** Charged to this user's daily budget, as a call's `user`. */
  user?: string;
  /** Charged to this feature's monthly budget, as a call's `feature`. */
  feature?: string;
  /** Higher runs first (default 0). */
  priority?: number;
  /** Not before this many milliseconds from now. */
  delayMs?: number;
  /** Your own id: enqueuing the same jobId again returns the first job and runs nothing more. */
  jobId?: string;
}

export interface JobInfo<O = unknown> {
  id: JobId<O>;
  promptId: string;
  version: number;
  hash: string;
  status: JobStatus;
  /** The validated output, once succeeded. */
  output?: O;
  error?: JobError;
  /** Times a worker took the job: more than 1 after an outage it waited out, or a worker that stopped. */
  attempts: number;
  /** The call record ids of its runs (`record.callId`), oldest first. */
  callIds: string[];
  /** The review its output waits or waited for (`@promptc/runtime/reviews`), if its prompt asked for one. */
  reviewId?: string;
  priority: number;
  user: string | null;
  feature: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A job as a store keeps it: the input and output as JSON text. */
export interface StoredJob {
  id: string;
  promptId: string;
  version: number;
  hash: string;
  input: string;
  status: JobStatus;
  priority: number;
  runAt: number;
  attempts: number;
  /** Times it was taken from a worker whose lease had run out (the worker stopped). */
  lost: number;
  leaseUntil: number | null;
  worker: string | null;
  output: string | null;
  error: string | null;
  callIds: string;
  /** Set when the job's call succeeded and its output waits for a review: the job's status is then the review's. */
  reviewId: string | null;
  user: string | null;
  feature: string | null;
  createdAt: number;
  updatedAt: number;
}

/** How a worker ends a job: its output or error, its call ids, and the review its output waits for. */
export interface JobEnd {
  status: "succeeded" | "failed";
  output: string | null;
  error: string | null;
  callIds: string;
  reviewId?: string | null;
}

export type NewJob = Pick<StoredJob, "id" | "promptId" | "version" | "hash" | "input" | "priority" | "runAt" | "user" | "feature">;

/** Where jobs live. Every method is atomic across processes sharing the store. */
export interface JobStore {
  /** Adds a job; when one with its id exists, changes nothing and returns that one. */
  add(job: NewJob, now: number): Promise<{ job: StoredJob; created: boolean }>;
  /**
   * Takes the next job a worker may run: queued and due, or running with its lease run out (its
   * worker is gone), of these prompts, highest priority first. It is leased to `worker` until
   * `leaseUntil`, its attempts counted, and `lost` counted when its last worker's lease had run out.
   */
  claim(worker: string, promptIds: readonly string[], leaseUntil: number, now: number): Promise<StoredJob | undefined>;
  /** Extends a lease; false when the job is no longer this worker's (cancelled, or taken over). */
  renew(id: string, worker: string, leaseUntil: number, now: number): Promise<boolean>;
  /** Ends a running job of this worker's; false (nothing written) when it is no longer this worker's. */
  finish(id: string, worker: string, end: JobEnd, now: number): Promise<boolean>;
  /** Puts a running job of this worker's back in the queue until `runAt` (an outage it waits out); false when no longer this worker's. */
  release(id: string, worker: string, runAt: number, callIds: string, now: number): Promise<boolean>;
  /** Cancels a queued or running job; false when it had already ended. */
  cancel(id: string, now: number): Promise<boolean>;
  /** Queues a failed or cancelled job again, now, as if new (its call ids kept); false for a job that has not ended that way. */
  retry(id: string, now: number): Promise<boolean>;
  get(id: string): Promise<StoredJob | undefined>;
  /** Jobs newest first, optionally of one status and one prompt. */
  list(filter: { status?: JobStatus; promptId?: string; limit: number }): Promise<StoredJob[]>;
  close(): Promise<void>;
}
