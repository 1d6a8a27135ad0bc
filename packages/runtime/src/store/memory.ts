// The default store: this process only, gone when it exits.
import { LRUCache } from "lru-cache";
import type { BudgetCharge, Hold, ReserveResult, Store, VectorEntry } from "../contract/store.js";

interface Counter {
  nanos: number;
  alerted: boolean;
  expiresAt: number;
}

export class MemoryStore implements Store {
  private readonly budgets = new Map<string, Counter>();
  private readonly cache: LRUCache<string, string>;
  private readonly vectors = new Map<string, VectorEntry[]>();
  /** Job holds: owner → the reservation's token, nanos and keys. */
  private readonly holds = new Map<string, { token: string; nanos: number; keys: string[] }>();

  /** `maxEntries`: exact-cache entries kept (least recently used go first). */
  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.cache = new LRUCache({ max: options.maxEntries ?? 10_000, ttlAutopurge: false, perf: { now: this.now } });
  }
  private readonly now: () => number;

  async reserve(charges: readonly BudgetCharge[], nanos: number, hold?: Hold): Promise<ReserveResult> {
    if (hold) this.release(hold.owner);
    const counters = charges.map((c) => this.counter(c));
    for (const [i, c] of charges.entries()) {
      const spent = counters[i]!.nanos;
      if (spent + nanos > c.limitNanos) return { ok: false, key: c.key, spentNanos: spent, limitNanos: c.limitNanos };
    }
    if (hold) this.holds.set(hold.owner, { token: hold.token, nanos, keys: charges.map((c) => c.key) });
    return { ok: true, alerts: this.add(charges, counters, nanos) };
  }

  async settle(charges: readonly BudgetCharge[], deltaNanos: number, hold?: Hold & { reservedNanos: number }): Promise<string[]> {
    let delta = deltaNanos;
    if (hold) {
      if (this.holds.get(hold.owner)?.token === hold.token) this.holds.delete(hold.owner);
      else delta += hold.reservedNanos; // released by a later attempt: the whole cost is new
    }
    return this.add(charges, charges.map((c) => this.counter(c)), delta);
  }

  /** Takes an owner's standing hold off its keys. */
  private release(owner: string): void {
    const held = this.holds.get(owner);
    if (!held) return;
    this.holds.delete(owner);
    for (const key of held.keys) {
      const counter = this.budgets.get(key);
      if (counter) counter.nanos = Math.max(0, counter.nanos - held.nanos);
    }
  }

  async spent(key: string): Promise<number> {
    const c = this.budgets.get(key);
    return c && c.expiresAt > this.now() ? c.nanos : 0;
  }

  async cacheGet(key: string): Promise<string | undefined> {
    return this.cache.get(key);
  }

  async cacheSet(key: string, value: string, ttlMs: number): Promise<void> {
    this.cache.set(key, value, { ttl: ttlMs });
  }

  async vectorAdd(scope: string, entry: VectorEntry): Promise<void> {
    let list = this.vectors.get(scope);
    if (!list) this.vectors.set(scope, (list = []));
    list.push(entry);
  }

  async vectorsSince(scope: string, cursor: number): Promise<{ entries: VectorEntry[]; cursor: number }> {
    const list = this.vectors.get(scope) ?? [];
    return { entries: list.slice(cursor), cursor: list.length };
  }

  async close(): Promise<void> {}

  private counter(c: BudgetCharge): Counter {
    let counter = this.budgets.get(c.key);
    if (!counter || counter.expiresAt <= this.now()) {
      if (this.budgets.size >= 10_000) this.sweep(); // windows end: their keys must not pile up
      this.budgets.set(c.key, (counter = { nanos: 0, alerted: false, expiresAt: this.now() + c.ttlMs }));
    }
    return counter;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, c] of this.budgets) if (c.expiresAt <= now) this.budgets.delete(key);
  }

  private add(charges: readonly BudgetCharge[], counters: Counter[], nanos: number): string[] {
    const alerts: string[] = [];
    for (const [i, c] of charges.entries()) {
      const counter = counters[i]!;
      counter.nanos = Math.max(0, counter.nanos + nanos);
      if (!counter.alerted && counter.nanos >= c.alertNanos) {
        counter.alerted = true;
        alerts.push(c.key);
      }
    }
    return alerts;
  }
}
