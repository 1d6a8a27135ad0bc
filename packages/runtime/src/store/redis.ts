// A store in Redis (ioredis), shared by every process pointed at it. A reservation and a
// settlement are one Lua script each: one round trip, atomic across processes. Commands fail
// fast while Redis is away (no offline queue, a command timeout), so a call gets a typed error
// or its fallback instead of hanging, and the client reconnects when Redis returns.
import type { Redis as RedisClient, RedisOptions } from "ioredis";
import type { BudgetCharge, ReserveResult, Store, VectorEntry } from "../contract/store.js";

// KEYS: budget keys. ARGV: nanos, then per key: limit, alert threshold, ttl (ms).
// Returns {1, alerted key indexes} or {0, index of the key that would pass, its spend}.
const RESERVE = `
local nanos = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local spent = tonumber(redis.call('HGET', key, 'n') or '0')
  if spent + nanos > tonumber(ARGV[(i - 1) * 3 + 2]) then return {0, i, spent} end
end
local alerts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('HINCRBY', key, 'n', nanos)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[(i - 1) * 3 + 4]) end
  if n >= tonumber(ARGV[(i - 1) * 3 + 3]) and redis.call('HSETNX', key, 'a', 1) == 1 then table.insert(alerts, i) end
end
return {1, alerts}
`;

// Same arguments, the delta (actual minus reserved) first; never below zero.
const SETTLE = `
local delta = tonumber(ARGV[1])
local alerts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('HINCRBY', key, 'n', delta)
  if n < 0 then redis.call('HSET', key, 'n', 0); n = 0 end
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[(i - 1) * 3 + 4]) end
  if n >= tonumber(ARGV[(i - 1) * 3 + 3]) and redis.call('HSETNX', key, 'a', 1) == 1 then table.insert(alerts, i) end
end
return alerts
`;

type Scripted = RedisClient & {
  promptcReserve(n: number, ...args: (string | number)[]): Promise<[number, number[] | number, number?]>;
  promptcSettle(n: number, ...args: (string | number)[]): Promise<number[]>;
};

export interface RedisStoreOptions {
  /** Prefix of every key (default `promptc:`). */
  prefix?: string;
  /** Milliseconds before a command fails (default 2000). */
  commandTimeoutMs?: number;
  /** Passed to ioredis. */
  redis?: RedisOptions;
}

export class RedisStore implements Store {
  private readonly prefix: string;
  private constructor(private readonly client: Scripted, prefix: string) {
    this.prefix = prefix;
  }

  /** Connects to `url` (`redis://127.0.0.1:6379`). Needs the optional peer dependency ioredis. */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    let Redis: typeof RedisClient;
    try {
      ({ Redis } = await import("ioredis"));
    } catch (e) {
      throw new Error(`RedisStore needs ioredis: npm install ioredis (${(e as Error).message})`, { cause: e });
    }
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
      ...options.redis,
    }) as Scripted;
    client.on("error", () => {}); // reported per command; the client keeps reconnecting
    client.defineCommand("promptcReserve", { lua: RESERVE });
    client.defineCommand("promptcSettle", { lua: SETTLE });
    await client.connect();
    return new RedisStore(client, options.prefix ?? "promptc:");
  }

  private args(charges: readonly BudgetCharge[], first: number): (string | number)[] {
    return [...charges.map((c) => this.prefix + c.key), first, ...charges.flatMap((c) => [c.limitNanos, c.alertNanos, c.ttlMs])];
  }

  async reserve(charges: readonly BudgetCharge[], nanos: number): Promise<ReserveResult> {
    if (!charges.length) return { ok: true, alerts: [] };
    const [ok, detail, spent] = await this.client.promptcReserve(charges.length, ...this.args(charges, nanos));
    if (ok === 1) return { ok: true, alerts: (detail as number[]).map((i) => charges[i - 1]!.key) };
    const c = charges[(detail as number) - 1]!;
    return { ok: false, key: c.key, spentNanos: Number(spent), limitNanos: c.limitNanos };
  }

  async settle(charges: readonly BudgetCharge[], deltaNanos: number): Promise<string[]> {
    if (!charges.length) return [];
    const alerts = await this.client.promptcSettle(charges.length, ...this.args(charges, deltaNanos));
    return alerts.map((i) => charges[i - 1]!.key);
  }

  async spent(key: string): Promise<number> {
    return Number((await this.client.hget(this.prefix + key, "n")) ?? 0);
  }

  async cacheGet(key: string): Promise<string | undefined> {
    return (await this.client.get(this.prefix + "cache:" + key)) ?? undefined;
  }

  async cacheSet(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.prefix + "cache:" + key, value, "PX", Math.max(1, Math.round(ttlMs)));
  }

  async vectorAdd(scope: string, entry: VectorEntry): Promise<void> {
    const vector = Buffer.from(entry.vector.buffer, entry.vector.byteOffset, entry.vector.byteLength).toString("base64");
    await this.client.rpush(this.prefix + "vectors:" + scope, JSON.stringify({ v: vector, o: entry.value, e: entry.expiresAt }));
  }

  async vectorsSince(scope: string, cursor: number): Promise<{ entries: VectorEntry[]; cursor: number }> {
    const rows = await this.client.lrange(this.prefix + "vectors:" + scope, cursor, -1);
    const entries = rows.map((r) => {
      const { v, o, e } = JSON.parse(r) as { v: string; o: string; e: number };
      const bytes = Buffer.from(v, "base64");
      return { vector: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), value: o, expiresAt: e };
    });
    return { entries, cursor: cursor + rows.length };
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
