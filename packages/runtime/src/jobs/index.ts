// @promptc/runtime/jobs: calls queued now and run later by workers, kept in a store (a SQLite
// file by default) so that they outlive the request that queued them and the worker that runs them.
export { configureJobs, getJobs, Jobs, type JobPrompt, type JobsOptions } from "./jobs.js";
export { startWorker, type WorkerHandle, type WorkerOptions } from "./worker.js";
export { SqliteJobStore } from "./sqlite-job-store.js";
export { BullMqJobStore, type BullMqJobStoreOptions } from "./bullmq-job-store.js";
export { JobWaitTimeoutError, UnknownJobError } from "./job-errors.js";
export type { EnqueueOptions, JobError, JobId, JobInfo, JobStatus, JobStore, NewJob, StoredJob } from "../contract/jobs.js";
