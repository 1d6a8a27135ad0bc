// Every store keeps the same contract: reservations all or nothing, alerts once per key,
// settlement to the actual cost, cache entries with a TTL, semantic entries by scope.
// Run against the memory store, a SQLite file and a real redis-server on loopback.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { redisForTests, sharedRedis, type RedisServer } from "../testing/redis-server.js";
import { MemoryStore } from "./memory.js";
import { RedisStore } from "./redis.js";
import { SqliteStore } from "./sqlite.js";
import type { BudgetCharge, Store } from "../contract/store.js";

// Without redis-server (a machine with only Node), the Redis store's cases are skipped, and say so.
const withRedis = redisForTests();
let redis: RedisServer | undefined;
const dir = mkdtempSync(join(tmpdir(), "promptc-stores-"));
beforeAll(async () => {
  if (withRedis) redis = await sharedRedis();
});
afterAll(async () => {
  await redis?.kill();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const RUN = Math.random().toString(36).slice(2); // a shared Redis may outlive this run
const makers: [string, () => Promise<Store>][] = [
  ["memory", async () => new MemoryStore()],
  ["sqlite", async () => new SqliteStore(join(dir, `s${n++}.db`))],
  ["redis", () => RedisStore.connect(redis!.url, { prefix: `test:${RUN}:${n++}:` })],
];

const charge = (key: string, limit: number, alert = limit): BudgetCharge => ({ key, limitNanos: limit, alertNanos: alert, ttlMs: 60_000 });

function contract(make: () => Promise<Store>): void {
  it("reserves all or nothing, and refuses what would pass a limit", async () => {
    const s = await make();
    const a = charge("a", 100, 80);
    const b = charge("b", 1000);
    expect(await s.reserve([a, b], 60)).toEqual({ ok: true, alerts: [] });
    expect(await s.reserve([a, b], 50)).toEqual({ ok: false, key: "a", spentNanos: 60, limitNanos: 100 });
    expect([await s.spent("a"), await s.spent("b")]).toEqual([60, 60]); // b untouched by the refusal
    expect(await s.reserve([a, b], 40)).toEqual({ ok: true, alerts: ["a"] }); // exactly the limit
    await s.close();
  });

  it("settles to the actual cost and alerts once per key", async () => {
    const s = await make();
    const a = charge("a", 100, 50);
    expect((await s.reserve([a], 90)).ok).toBe(true); // crosses 50: alert
    expect(await s.settle([a], -80)).toEqual([]); // actual 10
    expect(await s.spent("a")).toBe(10);
    expect(await s.reserve([a], 60)).toEqual({ ok: true, alerts: [] }); // crosses again: no second alert
    expect(await s.settle([a], -1000)).toEqual([]);
    expect(await s.spent("a")).toBe(0); // never below zero
    await s.close();
  });

  it("holds a job's reservation: the job's next reservation releases one its dead attempt left, and a late settlement of it adds its whole cost", async () => {
    const s = await make();
    const a = charge("a", 1000);
    const b = charge("b", 1000);
    expect((await s.reserve([a, b], 300, { owner: "job:1", token: "t1" })).ok).toBe(true); // the attempt whose worker dies
    expect((await s.reserve([a], 50)).ok).toBe(true); // another call, no job
    expect([await s.spent("a"), await s.spent("b")]).toEqual([350, 300]);
    // The job runs again: t1's 300 comes off both its keys, t2's 200 goes on.
    expect((await s.reserve([a], 200, { owner: "job:1", token: "t2" })).ok).toBe(true);
    expect([await s.spent("a"), await s.spent("b")]).toEqual([250, 0]);
    await s.settle([a], 20 - 200, { owner: "job:1", token: "t2", reservedNanos: 200 }); // cost 20
    expect(await s.spent("a")).toBe(70);
    // The first worker was only slow: its settlement finds its hold gone and adds what it cost.
    await s.settle([a, b], 30 - 300, { owner: "job:1", token: "t1", reservedNanos: 300 });
    expect([await s.spent("a"), await s.spent("b")]).toEqual([100, 30]);
    // A settled hold is gone: the job's next reservation releases nothing.
    expect((await s.reserve([a], 10, { owner: "job:1", token: "t3" })).ok).toBe(true);
    expect(await s.spent("a")).toBe(110);
    await s.close();
  });

  it("releases a job's dead hold even when its new reservation is refused", async () => {
    const s = await make();
    const a = charge("a", 100);
    expect((await s.reserve([a], 90, { owner: "job:2", token: "t1" })).ok).toBe(true);
    expect((await s.reserve([a], 80)).ok).toBe(false);
    expect(await s.reserve([a], 150, { owner: "job:2", token: "t2" })).toEqual({ ok: false, key: "a", spentNanos: 0, limitNanos: 100 });
    expect(await s.spent("a")).toBe(0);
    await s.close();
  });

  it("keeps cache entries until their TTL", async () => {
    const s = await make();
    await s.cacheSet("k", '{"a":1}', 60_000);
    await s.cacheSet("short", "x", 20);
    expect(await s.cacheGet("k")).toBe('{"a":1}');
    // Polled: the entry must go once its 20 ms are up (each store expires on its own clock).
    await vi.waitFor(async () => expect(await s.cacheGet("short")).toBeUndefined(), { timeout: 1000, interval: 10 });
    expect(await s.cacheGet("missing")).toBeUndefined();
    await s.close();
  });

  it("returns semantic entries by scope, from a cursor", async () => {
    const s = await make();
    await s.vectorAdd("x", { vector: new Float32Array([1, 0, 0.5]), value: '"one"', expiresAt: 1e15 });
    await s.vectorAdd("y", { vector: new Float32Array([0, 1, 0]), value: '"other"', expiresAt: 1e15 });
    const first = await s.vectorsSince("x", 0);
    expect(first.entries.map((e) => [Array.from(e.vector), e.value])).toEqual([[[1, 0, 0.5], '"one"']]);
    await s.vectorAdd("x", { vector: new Float32Array([0, 0, 1]), value: '"two"', expiresAt: 1e15 });
    const next = await s.vectorsSince("x", first.cursor);
    expect(next.entries.map((e) => e.value)).toEqual(['"two"']);
    expect((await s.vectorsSince("x", next.cursor)).entries).toEqual([]);
    await s.close();
  });
}

for (const [name, make] of makers) describe.skipIf(name === "redis" && !withRedis)(`${name} store`, () => contract(make));

describe("memory store", () => {
  it("forgets budget windows that have ended once many keys pile up", async () => {
    let now = 0;
    const s = new MemoryStore({ now: () => now });
    for (let i = 0; i < 10_000; i++) await s.reserve([{ key: `old${i}`, limitNanos: 10, alertNanos: 10, ttlMs: 1000 }], 1);
    now = 2000;
    await s.reserve([{ key: "new", limitNanos: 10, alertNanos: 10, ttlMs: 1000 }], 1);
    expect((s as unknown as { budgets: Map<string, unknown> }).budgets.size).toBe(1);
    expect(await s.spent("new")).toBe(1);
  });
});
