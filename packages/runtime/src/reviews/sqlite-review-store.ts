// Reviews in a SQLite file (better-sqlite3), shared by the app that asks for reviews and the
// page (`promptc review`) where people decide them. A decision is one conditional UPDATE, so two
// reviewers deciding at once cannot both win.
import type BetterSqlite3 from "better-sqlite3";
import { openSqliteFile } from "../store/sqlite-file.js";
import type { NewReview, ReviewStatus, ReviewStore, StoredReview } from "../contract/reviews.js";

interface Row {
  id: string;
  prompt_id: string;
  version: number;
  hash: string;
  status: ReviewStatus;
  cond: string;
  input: string;
  messages: string;
  output: string;
  decided_output: string | null;
  reason: string | null;
  reviewer: string | null;
  decided_at: number | null;
  created_at: number;
  expires_at: number;
  on_timeout: "reject" | "fallback";
  fallback: string | null;
  output_schema: string | null;
  call_id: string;
  job_id: string | null;
}

const review = (r: Row): StoredReview => ({
  id: r.id, promptId: r.prompt_id, version: r.version, hash: r.hash, status: r.status, when: r.cond, input: r.input, messages: r.messages, output: r.output,
  decidedOutput: r.decided_output, reason: r.reason, reviewer: r.reviewer, decidedAt: r.decided_at, createdAt: r.created_at, expiresAt: r.expires_at,
  onTimeout: r.on_timeout, fallback: r.fallback, outputSchema: r.output_schema, callId: r.call_id, jobId: r.job_id,
});

export class SqliteReviewStore implements ReviewStore {
  private readonly db: BetterSqlite3.Database;
  private readonly q;

  /** Opens (creating it and its folder if needed) the database at `path`. Needs the optional peer dependency better-sqlite3. */
  constructor(readonly path: string) {
    this.db = openSqliteFile(path, "SqliteReviewStore");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS reviews (
        id TEXT PRIMARY KEY, prompt_id TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL, status TEXT NOT NULL, cond TEXT NOT NULL,
        input TEXT NOT NULL, messages TEXT NOT NULL, output TEXT NOT NULL, decided_output TEXT, reason TEXT, reviewer TEXT, decided_at INTEGER,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, on_timeout TEXT NOT NULL, fallback TEXT, output_schema TEXT, call_id TEXT NOT NULL, job_id TEXT
      );
      CREATE INDEX IF NOT EXISTS reviews_by_status ON reviews (status, created_at);
    `);
    this.q = {
      insert: this.db.prepare<[string, string, number, string, string, string, string, string, number, number, string, string | null, string | null, string, string | null]>(
        `INSERT INTO reviews (id, prompt_id, version, hash, status, cond, input, messages, output, created_at, expires_at, on_timeout, fallback, output_schema, call_id, job_id)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      get: this.db.prepare<[string], Row>("SELECT * FROM reviews WHERE id = ?"),
      list: this.db.prepare<[string | null, string | null, string | null, string | null, number], Row>(
        "SELECT * FROM reviews WHERE (? IS NULL OR status = ?) AND (? IS NULL OR prompt_id = ?) ORDER BY created_at DESC, rowid DESC LIMIT ?"),
      decide: this.db.prepare<[string, string | null, string | null, string, number, string]>(
        "UPDATE reviews SET status = ?, decided_output = ?, reason = ?, reviewer = ?, decided_at = ? WHERE id = ? AND status = 'pending'"),
    };
  }

  async add(r: NewReview): Promise<void> {
    this.q.insert.run(r.id, r.promptId, r.version, r.hash, r.when, r.input, r.messages, r.output, r.createdAt, r.expiresAt, r.onTimeout, r.fallback, r.outputSchema, r.callId, r.jobId);
  }

  async get(id: string): Promise<StoredReview | undefined> {
    const row = this.q.get.get(id);
    return row && review(row);
  }

  async list(filter: { status?: ReviewStatus; promptId?: string; limit: number }): Promise<StoredReview[]> {
    const status = filter.status ?? null;
    const promptId = filter.promptId ?? null;
    return this.q.list.all(status, status, promptId, promptId, filter.limit).map(review);
  }

  async decide(id: string, end: { status: Exclude<ReviewStatus, "pending">; decidedOutput: string | null; reason: string | null; reviewer: string }, now: number): Promise<boolean> {
    return this.q.decide.run(end.status, end.decidedOutput, end.reason, end.reviewer, now, id).changes === 1;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
