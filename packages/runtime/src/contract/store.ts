// Where budgets and caches live: in memory (the default), in a SQLite file (survives restarts
// and crashes), or in Redis (shared by many processes). Spend is counted in integer
// nano-dollars so that sums never drift.

/** One budget a call is charged against: a key per scope and window, and its ceiling. */
export interface BudgetCharge {
  /** e.g. `budget:user:ana:day:2026-11-22`. */
  readonly key: string;
  readonly limitNanos: number;
  /** Spend (nano-dollars) at which the alert fires, once per key. */
  readonly alertNanos: number;
  /** How long the key lives: past the end of its window. */
  readonly ttlMs: number;
}

export type ReserveResult =
  | { ok: true; /** Keys whose alert threshold this reservation crossed first. */ alerts: string[] }
  | { ok: false; /** The first key that would pass its limit. */ key: string; spentNanos: number; limitNanos: number };

/** A semantic cache entry: the input's embedding and the output it got. */
export interface VectorEntry {
  readonly vector: Float32Array;
  /** The output, as JSON. */
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * A reservation held for a job: `owner` is the job's id, `token` this reservation's own. A job
 * runs one attempt at a time, so a hold its owner still has when it reserves again belongs to an
 * attempt whose worker died before settling it; the new reservation releases it, and the job is
 * charged once.
 */
export interface Hold {
  readonly owner: string;
  readonly token: string;
}

export interface Store {
  /**
   * Adds `nanos` to every key's spend, all or nothing: when any key would pass its limit,
   * nothing changes and the reservation is refused. Atomic across processes sharing the store.
   * With a hold: first releases the owner's earlier hold, if any (subtracting it from its own
   * keys, refused or not), and records this reservation as the owner's hold.
   */
  reserve(charges: readonly BudgetCharge[], nanos: number, hold?: Hold): Promise<ReserveResult>;
  /**
   * Adds `deltaNanos` (actual minus reserved, usually negative) to every key; returns alerts
   * crossed. With a hold: when it still stands, ends it; when a later attempt of its job released
   * it, adds the whole actual cost (`reservedNanos + deltaNanos`), since its reservation is gone.
   */
  settle(charges: readonly BudgetCharge[], deltaNanos: number, hold?: Hold & { readonly reservedNanos: number }): Promise<string[]>;
  /** Spend so far (settled plus reserved), in nano-dollars. */
  spent(key: string): Promise<number>;
  cacheGet(key: string): Promise<string | undefined>;
  cacheSet(key: string, value: string, ttlMs: number): Promise<void>;
  /** Appends a semantic entry to a scope. */
  vectorAdd(scope: string, entry: VectorEntry): Promise<void>;
  /** A scope's entries added after `cursor` (0: all), and the cursor to ask from next. */
  vectorsSince(scope: string, cursor: number): Promise<{ entries: VectorEntry[]; cursor: number }>;
  close(): Promise<void>;
}
