// A store in Redis (ioredis), shared by every process pointed at it. A reservation and a
// settlement are one Lua script each: one round trip, atomic across processes. Commands fail
// fast while Redis is away (no offline queue, a command timeout), so a call gets a typed error
// or its fallback instead of hanging, and the client reconnects when Redis returns.
import type { Redis as RedisClient, RedisOptions } from "ioredis";
import type { BudgetCharge, Hold, ReserveResult, Store, VectorEntry } from "../contract/store.js";

// KEYS: budget keys. ARGV: nanos, then per key: limit, alert threshold, ttl (ms); then a job
// hold's key (or ''), its token and ttl. An earlier hold of the job is released first.
// Returns {1, alerted key indexes} or {0, index of the key that would pass, its spend}.
const RESERVE = `
local nanos = tonumber(ARGV[1])
local holdKey = ARGV[#KEYS * 3 + 2]
if holdKey ~= '' then
  local held = redis.call('HMGET', holdKey, 'n', 'k')
  if held[1] then
    for key in string.gmatch(held[2], '[^\\n]+') do
      if redis.call('EXISTS', key) == 1 and redis.call('HINCRBY', key, 'n', -tonumber(held[1])) < 0 then redis.call('HSET', key, 'n', 0) end
    end
    redis.call('DEL', holdKey)
  end
end
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
if holdKey ~= '' then
  redis.call('HSET', holdKey, 't', ARGV[#KEYS * 3 + 3], 'n', nanos, 'k', table.concat(KEYS, '\\n'))
  redis.call('PEXPIRE', holdKey, ARGV[#KEYS * 3 + 4])
end
return {1, alerts}
`;

// Same arguments, the delta (actual minus reserved) first; never below zero. A hold that a later
// attempt of its job released already gave its reservation back: the whole cost is added.
const SETTLE = `
local delta = tonumber(ARGV[1])
local holdKey = ARGV[#KEYS * 3 + 2]
if holdKey ~= '' then
  if redis.call('HGET', holdKey, 't') == ARGV[#KEYS * 3 + 3] then redis.call('DEL', holdKey)
  else delta = delta + tonumber(ARGV[#KEYS * 3 + 4]) end
end
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

  private args(charges: readonly BudgetCharge[], first: number, hold: [string, string, number] | undefined): (string | number)[] {
    return [...charges.map((c) => this.prefix + c.key), first, ...charges.flatMap((c) => [c.limitNanos, c.alertNanos, c.ttlMs]), ...(hold ?? ["", "", 0])];
  }

  async reserve(charges: readonly BudgetCharge[], nanos: number, hold?: Hold): Promise<ReserveResult> {
    if (!charges.length) return { ok: true, alerts: [] };
    const held: [string, string, number] | undefined = hold && [this.prefix + "hold:" + hold.owner, hold.token, Math.max(...charges.map((c) => c.ttlMs))];
    const [ok, detail, spent] = await this.client.promptcReserve(charges.length, ...this.args(charges, nanos, held));
    if (ok === 1) return { ok: true, alerts: (detail as number[]).map((i) => charges[i - 1]!.key) };
    const c = charges[(detail as number) - 1]!;
    return { ok: false, key: c.key, spentNanos: Number(spent), limitNanos: c.limitNanos };
  }

  async settle(charges: readonly BudgetCharge[], deltaNanos: number, hold?: Hold & { reservedNanos: number }): Promise<string[]> {
    if (!charges.length) return [];
    const held: [string, string, number] | undefined = hold && [this.prefix + "hold:" + hold.owner, hold.token, hold.reservedNanos];
    const alerts = await this.client.promptcSettle(charges.length, ...this.args(charges, deltaNanos, held));
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
