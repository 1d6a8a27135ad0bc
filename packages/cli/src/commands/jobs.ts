// promptc jobs: the queue from the command line (the job store an app's workers share: the
// SQLite file, or BullMQ on Redis):
// list jobs, show one, queue a failed or cancelled one again, cancel one.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { JobInfo, JobStatus } from "@promptc/runtime/jobs";
import { pathFrom, type Io } from "../io.js";
import { EXIT } from "../output.js";

export interface JobsOptions {
  db?: string;
  redis?: string;
  status?: string;
  prompt?: string;
  limit?: string;
  json?: boolean;
}

const STATUSES: readonly JobStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];

/** `action`: list, show, retry or cancel; `id` for all but list. */
export async function runJobs(io: Io, action: string, id: string | undefined, opts: JobsOptions): Promise<number> {
  const usage = (message: string) => {
    io.stderr.write(`promptc jobs: ${message}\n`);
    return EXIT.USAGE;
  };
  if (!["list", "show", "retry", "cancel"].includes(action)) return usage(`unknown action \`${action}\`: list, show <id>, retry <id> or cancel <id>`);
  if (action !== "list" && !id) return usage(`${action} needs a job id: promptc jobs ${action} <id>`);
  if (opts.status !== undefined && !STATUSES.includes(opts.status as JobStatus)) return usage(`--status is one of ${STATUSES.join(", ")}, got \`${opts.status}\``);
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) return usage(`--limit takes a positive whole number, got \`${opts.limit}\``);
  if (opts.db !== undefined && opts.redis !== undefined) return usage("--db and --redis name two stores: pass one");
  // The same rule as the runtime's default store, from the command's working directory.
  const redis = opts.db === undefined ? (opts.redis ?? io.env["PROMPTC_JOBS_REDIS"]) : undefined;
  if (redis !== undefined && !/^rediss?:\/\//.test(redis)) return usage(`--redis takes a redis:// URL, got \`${redis}\``);
  const path = opts.db !== undefined ? pathFrom(io, opts.db) : io.env["PROMPTC_JOBS_DB"] ? pathFrom(io, io.env["PROMPTC_JOBS_DB"]) : join(io.cwd, ".promptc", "jobs.sqlite");
  if (!redis && !existsSync(path)) return usage(`no job store at ${path}: pass --db or --redis, or run where the app queues its jobs (PROMPTC_JOBS_DB, PROMPTC_JOBS_REDIS)`);
  const where = redis ?? path;

  const { Jobs, SqliteJobStore, BullMqJobStore } = await import("@promptc/runtime/jobs");
  const jobs = new Jobs({ store: redis ? new BullMqJobStore(redis) : new SqliteJobStore(path) });
  try {
    if (action === "list") {
      const list = await jobs.list({ ...(opts.status ? { status: opts.status as JobStatus } : {}), ...(opts.prompt ? { promptId: opts.prompt } : {}), limit });
      io.stdout.write(opts.json ? JSON.stringify({ jobs: list }, null, 2) + "\n" : formatJobs(list));
      return EXIT.OK;
    }
    const job = await jobs.get(id!);
    if (!job) {
      io.stderr.write(`promptc jobs: no job \`${id}\` in ${where}\n`);
      return EXIT.ERRORS;
    }
    if (action === "show") {
      io.stdout.write(JSON.stringify(job, null, 2) + "\n");
      return EXIT.OK;
    }
    const done = action === "retry" ? await jobs.retry(job.id) : await jobs.cancel(job.id);
    if (!done) {
      io.stderr.write(`promptc jobs: job \`${job.id}\` is ${job.status}: ${action === "retry" ? "only a failed or cancelled job can be queued again" : "it has ended already"}\n`);
      return EXIT.ERRORS;
    }
    io.stdout.write(`promptc jobs: ${action === "retry" ? "queued again" : "cancelled"}: ${job.id} (${job.promptId} v${job.version})\n`);
    return EXIT.OK;
  } finally {
    await jobs.store.close();
  }
}

export function formatJobs(list: readonly JobInfo[]): string {
  if (!list.length) return "no jobs\n";
  const rows = [["id", "prompt", "status", "attempts", "updated", "error"], ...list.map((j) => [j.id, `${j.promptId} v${j.version}`, j.status, String(j.attempts), j.updatedAt, j.error ? `${j.error.code}` : ""])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n") + "\n";
}
