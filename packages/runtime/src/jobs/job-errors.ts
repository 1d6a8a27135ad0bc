// What waiting for a job can fail with (how a job itself failed is its JobError).
import type { JobStatus } from "../contract/jobs.js";

/** No job has this id (never queued here, or queued in another store). */
export class UnknownJobError extends Error {
  constructor(readonly jobId: string) {
    super(`no job \`${jobId}\`: was it queued in this store (configureJobs)?`);
    this.name = "UnknownJobError";
  }
}

/** `jobs.wait` gave up; the job goes on. */
export class JobWaitTimeoutError extends Error {
  constructor(readonly jobId: string, readonly status: JobStatus, timeoutMs: number) {
    super(`job \`${jobId}\` is still ${status} after ${timeoutMs} ms; it goes on: wait again, or cancel it with jobs.cancel()`);
    this.name = "JobWaitTimeoutError";
  }
}
