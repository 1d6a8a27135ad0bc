// Jobs in a SQLite file (better-sqlite3): the embedded default, no setup, and nothing lost when
// the process or the machine stops (WAL, synchronous=FULL). Claiming is one IMMEDIATE
// transaction, so workers in several processes sharing the file never take the same job.
import type BetterSqlite3 from "better-sqlite3";
import { openSqliteFile } from "../store/sqlite-file.js";
import type { JobEnd, JobStore, NewJob, StoredJob } from "../contract/jobs.js";

interface Row {
  id: string;
  prompt_id: string;
  version: number;
  hash: string;
  input: string;
  status: StoredJob["status"];
  priority: number;
  run_at: number;
  attempts: number;
  lost: number;
  lease_until: number | null;
  worker: string | null;
  output: string | null;
  error: string | null;
  call_ids: string;
  review_id: string | null;
  user: string | null;
  feature: string | null;
  created_at: number;
  updated_at: number;
}

const job = (r: Row): StoredJob => ({
  id: r.id, promptId: r.prompt_id, version: r.version, hash: r.hash, input: r.input, status: r.status, priority: r.priority, runAt: r.run_at, attempts: r.attempts, lost: r.lost,
  leaseUntil: r.lease_until, worker: r.worker, output: r.output, error: r.error, callIds: r.call_ids, reviewId: r.review_id ?? null, user: r.user, feature: r.feature, createdAt: r.created_at, updatedAt: r.updated_at,
});

export class SqliteJobStore implements JobStore {
  private readonly db: BetterSqlite3.Database;
  private readonly q;
  private readonly claimNext: (worker: string, promptIds: string, leaseUntil: number, now: number) => Row | undefined;

  /** Opens (creating it and its folder if needed) the database at `path`. Needs the optional peer dependency better-sqlite3. */
  constructor(readonly path: string) {
    this.db = openSqliteFile(path, "SqliteJobStore");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY, prompt_id TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL, input TEXT NOT NULL,
        status TEXT NOT NULL, priority INTEGER NOT NULL, run_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lost INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER, worker TEXT, output TEXT, error TEXT, call_ids TEXT NOT NULL DEFAULT '[]',
        user TEXT, feature TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (status, priority DESC, run_at, created_at);
    `);
    // Files written before reviews existed get the column.
    if (!(this.db.prepare("PRAGMA table_info(jobs)").all() as { name: string }[]).some((c) => c.name === "review_id")) this.db.exec("ALTER TABLE jobs ADD COLUMN review_id TEXT");
    this.q = {
      insert: this.db.prepare<[string, string, number, string, string, number, number, string | null, string | null, number, number]>(
        "INSERT OR IGNORE INTO jobs (id, prompt_id, version, hash, input, status, priority, run_at, user, feature, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)"),
      get: this.db.prepare<[string], Row>("SELECT * FROM jobs WHERE id = ?"),
      next: this.db.prepare<[string, number, number], Row>(
        `SELECT * FROM jobs WHERE prompt_id IN (SELECT value FROM json_each(?)) AND ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until < ?))
         ORDER BY priority DESC, run_at, created_at LIMIT 1`),
      take: this.db.prepare<[string, number, number, string]>("UPDATE jobs SET lost = lost + (status = 'running'), status = 'running', worker = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?"),
      release: this.db.prepare<[number, string, number, string, string]>("UPDATE jobs SET status = 'queued', run_at = ?, call_ids = ?, worker = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND worker = ? AND status = 'running'"),
      renew: this.db.prepare<[number, number, string, string]>("UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND worker = ? AND status = 'running'"),
      finish: this.db.prepare<[string, string | null, string | null, string, string | null, number, string, string]>(
        "UPDATE jobs SET status = ?, output = ?, error = ?, call_ids = ?, review_id = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND worker = ? AND status = 'running'"),
      retry: this.db.prepare<[number, number, string]>("UPDATE jobs SET status = 'queued', run_at = ?, attempts = 0, lost = 0, output = NULL, error = NULL, review_id = NULL, worker = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status IN ('failed', 'cancelled')"),
      list: this.db.prepare<[string | null, string | null, string | null, string | null, number], Row>("SELECT * FROM jobs WHERE (? IS NULL OR status = ?) AND (? IS NULL OR prompt_id = ?) ORDER BY created_at DESC, id LIMIT ?"),
      cancel: this.db.prepare<[number, string]>("UPDATE jobs SET status = 'cancelled', lease_until = NULL, updated_at = ? WHERE id = ? AND status IN ('queued', 'running')"),
    };
    this.claimNext = this.db.transaction((worker: string, promptIds: string, leaseUntil: number, now: number) => {
      const row = this.q.next.get(promptIds, now, now);
      if (!row) return undefined;
      this.q.take.run(worker, leaseUntil, now, row.id);
      return this.q.get.get(row.id);
    }).immediate;
  }

  async add(j: NewJob, now: number): Promise<{ job: StoredJob; created: boolean }> {
    const created = this.q.insert.run(j.id, j.promptId, j.version, j.hash, j.input, j.priority, j.runAt, j.user, j.feature, now, now).changes === 1;
    return { job: job(this.q.get.get(j.id)!), created };
  }

  async claim(worker: string, promptIds: readonly string[], leaseUntil: number, now: number): Promise<StoredJob | undefined> {
    const row = this.claimNext(worker, JSON.stringify(promptIds), leaseUntil, now);
    return row && job(row);
  }

  async renew(id: string, worker: string, leaseUntil: number, now: number): Promise<boolean> {
    return this.q.renew.run(leaseUntil, now, id, worker).changes === 1;
  }

  async finish(id: string, worker: string, end: JobEnd, now: number): Promise<boolean> {
    return this.q.finish.run(end.status, end.output, end.error, end.callIds, end.reviewId ?? null, now, id, worker).changes === 1;
  }

  async release(id: string, worker: string, runAt: number, callIds: string, now: number): Promise<boolean> {
    return this.q.release.run(runAt, callIds, now, id, worker).changes === 1;
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return this.q.cancel.run(now, id).changes === 1;
  }

  async retry(id: string, now: number): Promise<boolean> {
    return this.q.retry.run(now, now, id).changes === 1;
  }

  async list(filter: { status?: StoredJob["status"]; promptId?: string; limit: number }): Promise<StoredJob[]> {
    const status = filter.status ?? null;
    const promptId = filter.promptId ?? null;
    return this.q.list.all(status, status, promptId, promptId, filter.limit).map(job);
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const row = this.q.get.get(id);
    return row && job(row);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
