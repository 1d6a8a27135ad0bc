// A store in a SQLite file (better-sqlite3): budgets and caches survive a restart or a crash.
// Every reservation and settlement is its own committed transaction (WAL, synchronous=FULL),
// so a process killed at any point loses no settled spend; BEGIN IMMEDIATE makes a
// reservation atomic across processes sharing the file.
import type BetterSqlite3 from "better-sqlite3";
import { openSqliteFile } from "./sqlite-file.js";
import type { BudgetCharge, Hold, ReserveResult, Store, VectorEntry } from "../contract/store.js";

export class SqliteStore implements Store {
  private readonly db: BetterSqlite3.Database;
  private readonly now: () => number;
  private readonly q;

  /** Opens (creating if needed) the database at `path`. Needs the optional peer dependency better-sqlite3. */
  constructor(readonly path: string, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.db = openSqliteFile(path, "SqliteStore");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS budgets (key TEXT PRIMARY KEY, nanos INTEGER NOT NULL, alerted INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL, vector BLOB NOT NULL, value TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS vectors_by_scope ON vectors (scope, id);
      CREATE TABLE IF NOT EXISTS holds (owner TEXT PRIMARY KEY, token TEXT NOT NULL, nanos INTEGER NOT NULL, keys TEXT NOT NULL);
    `);
    this.q = {
      get: this.db.prepare<[string, number], { nanos: number; alerted: number }>("SELECT nanos, alerted FROM budgets WHERE key = ? AND expires_at > ?"),
      put: this.db.prepare<[string, number, number, number]>("INSERT OR REPLACE INTO budgets (key, nanos, alerted, expires_at) VALUES (?, ?, ?, ?)"),
      holdGet: this.db.prepare<[string], { token: string; nanos: number; keys: string }>("SELECT token, nanos, keys FROM holds WHERE owner = ?"),
      holdPut: this.db.prepare<[string, string, number, string]>("INSERT OR REPLACE INTO holds (owner, token, nanos, keys) VALUES (?, ?, ?, ?)"),
      holdDelete: this.db.prepare<[string]>("DELETE FROM holds WHERE owner = ?"),
      release: this.db.prepare<[number, string]>("UPDATE budgets SET nanos = max(0, nanos - ?) WHERE key = ?"),
      cacheGet: this.db.prepare<[string, number], { value: string }>("SELECT value FROM cache WHERE key = ? AND expires_at > ?"),
      cacheSet: this.db.prepare<[string, string, number]>("INSERT OR REPLACE INTO cache (key, value, expires_at) VALUES (?, ?, ?)"),
      vectorAdd: this.db.prepare<[string, Buffer, string, number]>("INSERT INTO vectors (scope, vector, value, expires_at) VALUES (?, ?, ?, ?)"),
      vectorsSince: this.db.prepare<[string, number], { id: number; vector: Buffer; value: string; expires_at: number }>("SELECT id, vector, value, expires_at FROM vectors WHERE scope = ? AND id > ? ORDER BY id"),
    };
  }

  private readonly reserveTx = (charges: readonly BudgetCharge[], nanos: number, hold: Hold | undefined): ReserveResult => {
    const now = this.now();
    if (hold) this.releaseHold(hold.owner);
    const rows = charges.map((c) => this.q.get.get(c.key, now) ?? { nanos: 0, alerted: 0 });
    for (const [i, c] of charges.entries()) {
      if (rows[i]!.nanos + nanos > c.limitNanos) return { ok: false, key: c.key, spentNanos: rows[i]!.nanos, limitNanos: c.limitNanos };
    }
    if (hold) this.q.holdPut.run(hold.owner, hold.token, nanos, JSON.stringify(charges.map((c) => c.key)));
    return { ok: true, alerts: this.write(charges, rows, nanos, now) };
  };

  private readonly settleTx = (charges: readonly BudgetCharge[], delta: number, hold: (Hold & { reservedNanos: number }) | undefined): string[] => {
    const now = this.now();
    if (hold) {
      if (this.q.holdGet.get(hold.owner)?.token === hold.token) this.q.holdDelete.run(hold.owner);
      else delta += hold.reservedNanos; // released by a later attempt: the whole cost is new
    }
    return this.write(charges, charges.map((c) => this.q.get.get(c.key, now) ?? { nanos: 0, alerted: 0 }), delta, now);
  };

  /** Takes an owner's standing hold off its keys (inside a transaction). */
  private releaseHold(owner: string): void {
    const held = this.q.holdGet.get(owner);
    if (!held) return;
    this.q.holdDelete.run(owner);
    for (const key of JSON.parse(held.keys) as string[]) this.q.release.run(held.nanos, key);
  }

  private write(charges: readonly BudgetCharge[], rows: { nanos: number; alerted: number }[], delta: number, now: number): string[] {
    const alerts: string[] = [];
    for (const [i, c] of charges.entries()) {
      const nanos = Math.max(0, rows[i]!.nanos + delta);
      const alert = !rows[i]!.alerted && nanos >= c.alertNanos;
      if (alert) alerts.push(c.key);
      this.q.put.run(c.key, nanos, rows[i]!.alerted || alert ? 1 : 0, now + c.ttlMs);
    }
    return alerts;
  }

  async reserve(charges: readonly BudgetCharge[], nanos: number, hold?: Hold): Promise<ReserveResult> {
    return this.db.transaction(this.reserveTx).immediate(charges, nanos, hold);
  }

  async settle(charges: readonly BudgetCharge[], deltaNanos: number, hold?: Hold & { reservedNanos: number }): Promise<string[]> {
    return this.db.transaction(this.settleTx).immediate(charges, deltaNanos, hold);
  }

  async spent(key: string): Promise<number> {
    return this.q.get.get(key, this.now())?.nanos ?? 0;
  }

  async cacheGet(key: string): Promise<string | undefined> {
    return this.q.cacheGet.get(key, this.now())?.value;
  }

  async cacheSet(key: string, value: string, ttlMs: number): Promise<void> {
    this.q.cacheSet.run(key, value, this.now() + ttlMs);
  }

  async vectorAdd(scope: string, entry: VectorEntry): Promise<void> {
    this.q.vectorAdd.run(scope, Buffer.from(entry.vector.buffer, entry.vector.byteOffset, entry.vector.byteLength), entry.value, entry.expiresAt);
  }

  async vectorsSince(scope: string, cursor: number): Promise<{ entries: VectorEntry[]; cursor: number }> {
    const rows = this.q.vectorsSince.all(scope, cursor);
    const entries = rows.map((r) => ({ vector: new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)), value: r.value, expiresAt: r.expires_at }));
    return { entries, cursor: rows.length ? rows[rows.length - 1]!.id : cursor };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
