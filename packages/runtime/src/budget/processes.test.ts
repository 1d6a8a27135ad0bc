// Budgets across processes and failures: two processes sharing Redis, a process killed with
// SIGKILL while spending into a SQLite file, and a Redis that goes away and comes back.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "../define-prompt.js";
import { StoreUnavailableError } from "../errors/prompt-errors.js";
import { Runtime } from "../runtime.js";
import { RedisStore } from "../store/redis.js";
import { SqliteStore } from "../store/sqlite.js";
import { redisForTests, sharedRedis, startRedisServer, type RedisServer } from "../testing/redis-server.js";
import { startMockServer, type MockServer } from "../testing/server.js";
import type { Message, PromptMeta } from "../contract/prompt.js";

const worker = fileURLToPath(new URL("./__fixtures__/spend-worker.mjs", import.meta.url));
const CALL_USD = 0.001; // 100 output tokens at 10 USD per million; input is free
const today = () => new Date().toISOString().slice(0, 10);

// Without redis-server (a machine with only Node), the Redis cases are skipped, and say so; CI runs them.
const withRedis = redisForTests();
let server: MockServer;
let redis: RedisServer | undefined;
const dir = mkdtempSync(join(tmpdir(), "promptc-processes-"));
beforeAll(async () => {
  server = await startMockServer({ handler: () => ({ json: { queue: "billing" }, usage: { input: 10, output: 100 } }) });
  if (withRedis) redis = await sharedRedis();
});
afterAll(async () => {
  await server.close();
  await redis?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>, onLine?: (line: string, kill: () => void) => void): Promise<{ code: number | null; signal: string | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker], { env: { ...process.env, MOCK_URL: server.openaiBaseURL, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let buf = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        onLine?.(line, () => child.kill("SIGKILL"));
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("error", reject);
    child.on("exit", (code, signal) => (code && code !== 0 ? reject(new Error(`worker exited ${code}: ${err}`)) : resolve({ code, signal, lines })));
  });
}

describe("budgets across processes", () => {
  it.skipIf(!withRedis)("two processes sharing Redis, 500 concurrent calls each, never overspend a budget that allows 100", async () => {
    const prefix = `test:${Math.random().toString(36).slice(2)}:`; // a shared Redis may outlive this run
    const env = { STORE: "redis", STORE_URL: redis!.url, CALLS: "500", MODE: "concurrent", LIMIT_USD: String(100 * CALL_USD), PREFIX: prefix };
    const before = server.requests.length;
    const [a, b] = await Promise.all([run(env), run(env)]);
    const ra = JSON.parse(a.lines[0]!) as { served: number; refused: number; codes: string[]; spent: number };
    const rb = JSON.parse(b.lines[0]!) as typeof ra;
    expect(ra.served + rb.served).toBe(100);
    expect(ra.spent + rb.spent).toBeCloseTo(100 * CALL_USD, 9);
    expect([...ra.codes, ...rb.codes]).toEqual(["E_BUDGET_EXCEEDED", "E_BUDGET_EXCEEDED"]);
    expect(server.requests.length - before).toBe(100);
    const store = await RedisStore.connect(redis!.url, { prefix });
    expect(await store.spent(`budget:prompt:t/spend:day:${today()}`)).toBe(100 * CALL_USD * 1e9);
    await store.close();
  });

  it("a process killed with SIGKILL loses no settled spend, and the file opens cleanly", async () => {
    const path = join(dir, "killed.db");
    let lastSettled = 0;
    const { signal } = await run({ STORE: "sqlite", STORE_URL: path, CALLS: "100000", MODE: "serial", LIMIT_USD: "1000" }, (line, kill) => {
      lastSettled = Number(line.split(" ")[1]);
      if (lastSettled >= 40 * CALL_USD * 1e9) kill();
    });
    expect(signal).toBe("SIGKILL");
    const store = new SqliteStore(path);
    const spent = await store.spent(`budget:prompt:t/spend:day:${today()}`);
    // Every settled call is there; a call killed between reserving and settling counts at its worst case.
    expect(spent).toBeGreaterThanOrEqual(lastSettled);
    expect(spent).toBeLessThanOrEqual(lastSettled + 2 * CALL_USD * 1e9);
    expect((store as unknown as { db: { pragma(s: string): { integrity_check: string }[] } }).db.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
    await store.close();
  });
});

describe("a Redis that goes away", () => {
  const SCHEMA = { type: "object", properties: { queue: { type: "string" } }, required: ["queue"], additionalProperties: false };
  const meta = (fallback: PromptMeta["policies"]["fallback"]): PromptMeta => ({
    id: "t/away", version: 1, hash: "sha256:00000000000000cc", source: "prompts/t/away.prompt.yaml", description: null,
    model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 100, temperature: 0, topP: null, stop: null },
    output: { format: "json", schema: SCHEMA, strict: true, wrapped: false },
    policies: {
      retry: { attempts: 1, timeoutMs: 5000, deadlineMs: 10_000, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback,
      budget: { perCallUsd: null, perUserPerDayUsd: 1, perFeaturePerMonthUsd: null, perPromptPerDayUsd: null, perPromptPerMonthUsd: null, feature: null, alertAt: 0.8, onExceeded: "error" },
      cache: { ttlMs: 60_000, semantic: null },
    },
  });
  const schemas = { InputSchema: z.object({ t: z.string() }), OutputSchema: z.object({ queue: z.string() }) };
  const render = (i: { t: string }): Message[] => [{ role: "user", content: i.t }];

  it.skipIf(!withRedis)("gives typed errors or the fallback, without hanging, and recovers when it returns", async () => {
    const own = await startRedisServer();
    const store = await RedisStore.connect(own.url, { commandTimeoutMs: 500 });
    const rt = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL } }, prices: { "openai:gpt-a": { input: 0, output: 10 } }, store });
    const strict = definePrompt(meta({ kind: "error" }), schemas, render);
    const degrading = definePrompt(meta({ kind: "value", value: { queue: "later" } }), schemas, render);
    expect(await strict({ t: "a" }, { runtime: rt, user: "u" })).toEqual({ queue: "billing" });

    await own.kill();
    const t0 = performance.now();
    const error = await strict({ t: "b" }, { runtime: rt, user: "u" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: "E_STORE_UNAVAILABLE" });
    const degraded = await degrading.withRecord({ t: "c" }, { runtime: rt, user: "u" });
    expect(degraded.output).toEqual({ queue: "later" });
    expect(degraded.record.errorCode).toBe("E_STORE_UNAVAILABLE");
    expect(performance.now() - t0).toBeLessThan(3000);

    await own.restart();
    let recovered: unknown;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      recovered = await strict({ t: "d" }, { runtime: rt, user: "u" }).catch((e: unknown) => e);
      if (!(recovered instanceof Error)) break;
    }
    expect(recovered).toEqual({ queue: "billing" });
    await store.close();
    await own.kill();
  });
});
