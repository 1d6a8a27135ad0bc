// Costs, budgets and caches through real calls against the local server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "../define-prompt.js";
import { BudgetExceededError } from "../errors/prompt-errors.js";
import { Runtime, type RuntimeOptions } from "../runtime.js";
import { MemoryStore } from "../store/memory.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../contract/store.js";
import { mockServerForTests } from "../__fixtures__/mock-server.js";
import type { BudgetPolicy, Message, PromptMeta } from "../contract/prompt.js";
import type { CallOptions } from "../runtime.js";
import type { BudgetAlert } from "./budgets.js";

const server = await mockServerForTests();
const dir = mkdtempSync(join(tmpdir(), "promptc-budget-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCHEMA = { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false };
const Output = z.object({ queue: z.enum(["billing", "technical"]) });
const Input = z.object({ ticket: z.string() });
type In = z.output<typeof Input>;
// Output tokens only cost money here (input is free), and every reply uses all of max_tokens,
// so a call's worst case is exactly what it costs: 100 tokens x 10 USD/M = 0.001 USD.
const PRICES = { "openai:gpt-a": { input: 0, output: 10 } };
const CALL_USD = 0.001;

function meta(over: { budget?: Partial<BudgetPolicy>; cache?: PromptMeta["policies"]["cache"]; fallback?: PromptMeta["policies"]["fallback"]; version?: number; attempts?: number } = {}): PromptMeta {
  return {
    id: "t/route", version: over.version ?? 1, hash: "sha256:00000000000000aa", source: "prompts/t/route.prompt.yaml", description: null,
    model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 100, temperature: 0, topP: null, stop: null },
    output: { format: "json", schema: SCHEMA, strict: true, wrapped: false },
    policies: {
      retry: { attempts: over.attempts ?? 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } },
      reask: 0, fallback: over.fallback ?? { kind: "error" },
      budget: over.budget ? { perCallUsd: null, perUserPerDayUsd: null, perFeaturePerMonthUsd: null, perPromptPerDayUsd: null, perPromptPerMonthUsd: null, feature: null, alertAt: 0.8, onExceeded: "error", ...over.budget } : null,
      cache: over.cache ?? null,
    },
  };
}
const render = (i: In): Message[] => [{ role: "user", content: `Ticket: ${i.ticket}` }];
const prompt = (m: PromptMeta) => definePrompt<In, z.output<typeof Output>>(m, { InputSchema: Input, OutputSchema: Output }, render);
const runtime = (extra: Partial<RuntimeOptions> = {}) =>
  new Runtime({ env: {}, providers: { openai: { apiKey: "sk-test", baseURL: server.openaiBaseURL } }, prices: PRICES, sleep: async () => {}, ...extra });
const fullReplies = () => server.setHandler(() => ({ json: { queue: "billing" }, usage: { input: 40, output: 100 } }));

describe("cost", () => {
  it("every record carries its cost, summed over retries", async () => {
    server.enqueue({ status: 503 }, { json: { queue: "billing" }, usage: { input: 1000, output: 50 } });
    const fn = prompt(meta({ attempts: 2 }));
    const { record } = await fn.withRecord({ ticket: "x" }, { runtime: runtime({ prices: { "openai:gpt-a": { input: 1, output: 2 } } }) });
    expect(record.costUsd).toBeCloseTo((1000 * 1 + 50 * 2) / 1e6, 12);
    expect(record.attempts.map((a) => a.costUsd)).toEqual([0, expect.closeTo(0.0011, 12)]); // a 503 is not billed
  });

  it("a timed-out attempt counts its input; an attempt an open breaker never sent counts nothing", async () => {
    server.setHandler(() => ({ hang: true }));
    const rt = runtime({ prices: { "openai:gpt-a": { input: 1, output: 2 } }, breakers: { threshold: 1, cooldownMs: 60_000 } });
    const m = meta();
    const fn = prompt({ ...m, policies: { ...m.policies, retry: { ...m.policies.retry, timeoutMs: 50 } } });
    const first = await fn.withRecord({ ticket: "x" }, { runtime: rt }).catch((e: { attempts: { outcome: string; costUsd: number | null }[] }) => e);
    expect(first.attempts.map((a) => [a.outcome, a.costUsd! > 0])).toEqual([["transport_error", true]]);
    const second = await fn.withRecord({ ticket: "x" }, { runtime: rt }).catch((e: { attempts: { outcome: string; costUsd: number | null }[] }) => e);
    expect(second.attempts.map((a) => [a.outcome, a.costUsd])).toEqual([["unavailable", 0]]);
  });

  it("cache reads and writes are recorded and priced at their rates", async () => {
    server.enqueue({ json: { queue: "billing" }, usage: { input: 10_000, output: 100, cacheRead: 6000, cacheWrite: 2000 } });
    const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 };
    const { record } = await prompt(meta()).withRecord({ ticket: "x" }, { runtime: runtime({ prices: { "openai:gpt-a": price } }) });
    expect(record).toMatchObject({ inputTokens: 10_000, cachedInputTokens: 6000, cacheWriteTokens: 2000 });
    expect(record.attempts[0]).toMatchObject({ cachedInputTokens: 6000, cacheWriteTokens: 2000 });
    expect(record.costUsd).toBeCloseTo((2000 * 3 + 6000 * 0.3 + 2000 * 3.75 + 100 * 15) / 1e6, 12);
  });

  it("a bad price fails when the runtime is configured, naming the model", () => {
    expect(() => new Runtime({ prices: { "openai:gpt-a": { input: -1, output: 1 } } })).toThrow(/price of openai:gpt-a: input is negative/);
  });
});

describe("budgets", () => {
  it("refuses an attempt whose worst case passes the per-call ceiling, before sending it", async () => {
    const fn = prompt(meta({ budget: { perCallUsd: CALL_USD / 2 } }));
    const error = await fn({ ticket: "x" }, { runtime: runtime() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ code: "E_BUDGET_EXCEEDED", budget: "per call", limitUsd: CALL_USD / 2 });
    expect((error as Error).message).toMatch(/nothing more was sent.*Raise the budget in prompts\/t\/route\.prompt\.yaml/);
    expect(server.requests).toHaveLength(0);
  });

  it("charges the user's day, alerts once at 80%, then refuses; or serves the declared fallback", async () => {
    fullReplies();
    const alerts: BudgetAlert[] = [];
    const rt = runtime({ onBudgetAlert: (a) => alerts.push(a) });
    const fn = prompt(meta({ budget: { perUserPerDayUsd: 5 * CALL_USD } }));
    const ana: CallOptions = { runtime: rt, user: "ana" };
    for (let i = 0; i < 5; i++) expect(await fn({ ticket: `t${i}` }, ana)).toEqual({ queue: "billing" });
    expect(alerts).toEqual([{ key: expect.stringMatching(/^budget:user:ana:day:\d{4}-\d{2}-\d{2}$/), promptId: "t/route", limitUsd: 5 * CALL_USD, alertAt: 0.8 }]);
    await expect(fn({ ticket: "t5" }, ana)).rejects.toMatchObject({ code: "E_BUDGET_EXCEEDED" });
    expect(await fn({ ticket: "t5" }, { runtime: rt, user: "ben" })).toEqual({ queue: "billing" }); // another user's day
    expect(server.requests).toHaveLength(6);
    const degrading = prompt(meta({ budget: { perUserPerDayUsd: 5 * CALL_USD, onExceeded: "fallback" }, fallback: { kind: "value", value: { queue: "technical" } } }));
    const { output, record } = await degrading.withRecord({ ticket: "t6" }, ana);
    expect(output).toEqual({ queue: "technical" });
    expect(record).toMatchObject({ fallback: "value", errorCode: "E_BUDGET_EXCEEDED", costUsd: 0 });
    expect(alerts).toHaveLength(1); // ana's day alerts once; ben's is at 20%
  });

  it("calls that name no user share one day's per-user budget", async () => {
    fullReplies();
    const rt = runtime();
    const fn = prompt(meta({ budget: { perUserPerDayUsd: 2 * CALL_USD } }));
    await fn({ ticket: "a" }, { runtime: rt });
    await fn({ ticket: "b" }, { runtime: rt });
    await expect(fn({ ticket: "c" }, { runtime: rt })).rejects.toMatchObject({ budget: expect.stringMatching(/^budget:user:\(none\):day:/) });
  });

  it("streams are charged too: reserved before the request, settled to the streamed usage", async () => {
    server.setHandler(() => ({ json: { queue: "billing" }, usage: { input: 40, output: 100 } }));
    const rt = runtime();
    const fn = prompt(meta({ budget: { perPromptPerDayUsd: 2 * CALL_USD } }));
    for (let i = 0; i < 2; i++) {
      const stream = fn.stream({ ticket: `s${i}` }, { runtime: rt });
      for await (const _ of stream) void _;
      expect(await stream.result).toEqual({ queue: "billing" });
      expect((await stream.record).costUsd).toBeCloseTo(CALL_USD, 12);
    }
    const refused = fn.stream({ ticket: "s2" }, { runtime: rt });
    await expect(refused.result).rejects.toBeInstanceOf(BudgetExceededError);
    expect(server.requests).toHaveLength(2);
  });

  // 1,000 calls at once against a budget that allows exactly 100.
  const stores: [string, () => Store][] = [
    ["in memory", () => new MemoryStore()],
    ["in a SQLite file", () => new SqliteStore(join(dir, "concurrent.db"))],
  ];
  it.each(stores)("1,000 concurrent calls never overspend a budget that allows 100 (%s)", async (_, makeStore) => {
    fullReplies();
    const store = makeStore();
    const rt = runtime({ store });
    const fn = prompt(meta({ budget: { perPromptPerDayUsd: 100 * CALL_USD } }));
    const results = await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => fn.withRecord({ ticket: `t${i}` }, { runtime: rt })));
    const served = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(served).toHaveLength(100);
    expect(refused.every((r) => (r as PromiseRejectedResult).reason instanceof BudgetExceededError)).toBe(true);
    const spent = served.reduce((s, r) => s + (r as PromiseFulfilledResult<{ record: { costUsd: number } }>).value.record.costUsd, 0);
    expect(spent).toBeCloseTo(100 * CALL_USD, 9);
    const key = `budget:prompt:t/route:day:${new Date().toISOString().slice(0, 10)}`;
    expect(await store.spent(key)).toBeLessThanOrEqual(100 * CALL_USD * 1e9);
    expect(server.requests).toHaveLength(100);
    await store.close();
  });
});

describe("exact cache", () => {
  const cached = (over: Parameters<typeof meta>[0] = {}) => prompt(meta({ cache: { ttlMs: 60_000, semantic: null }, ...over }));

  it("answers a repeated call from the cache, for the same version only", async () => {
    fullReplies();
    const rt = runtime();
    const first = await cached().withRecord({ ticket: "same" }, { runtime: rt });
    const again = await cached().withRecord({ ticket: "same" }, { runtime: rt });
    expect(again.output).toEqual(first.output);
    expect(again.record).toMatchObject({ cache: "exact", costUsd: 0, valid: true, attempts: [] });
    expect(server.requests).toHaveLength(1);
    await cached({ version: 2 }).withRecord({ ticket: "same" }, { runtime: rt }); // a new version never reads v1's entry
    expect(server.requests).toHaveLength(2);
    await cached().withRecord({ ticket: "same\u200b" }, { runtime: rt }); // sanitised to the same input
    expect(server.requests).toHaveLength(2);
  });

  it("bypass neither reads nor writes; refresh calls and rewrites", async () => {
    const rt = runtime();
    server.setHandler(() => ({ json: { queue: "billing" } }));
    await cached()({ ticket: "k" }, { runtime: rt });
    expect((await cached().withRecord({ ticket: "k" }, { runtime: rt, cache: "bypass" })).record.cache).toBeNull();
    server.setHandler(() => ({ json: { queue: "technical" } }));
    expect(await cached()({ ticket: "k" }, { runtime: rt, cache: "refresh" })).toEqual({ queue: "technical" });
    expect(await cached()({ ticket: "k" }, { runtime: rt })).toEqual({ queue: "technical" });
    expect(server.requests).toHaveLength(3);
  });

  it("stores only schema-valid outputs: a fallback value is not cached", async () => {
    const rt = runtime();
    server.setHandler(() => ({ status: 500 }));
    const fn = cached({ fallback: { kind: "value", value: { queue: "technical" } } });
    expect((await fn.withRecord({ ticket: "f" }, { runtime: rt })).record.fallback).toBe("value");
    server.setHandler(() => ({ json: { queue: "billing" } }));
    expect(await fn({ ticket: "f" }, { runtime: rt })).toEqual({ queue: "billing" });
  });
});

describe("semantic cache", () => {
  it("answers an input that embeds within the threshold, scoped to the prompt version", async () => {
    fullReplies();
    const rt = runtime();
    const fn = prompt(meta({ cache: { ttlMs: 60_000, semantic: { threshold: 0.9 } } }));
    await fn({ ticket: "I was charged twice for my subscription this month" }, { runtime: rt });
    const near = await fn.withRecord({ ticket: "i was charged  twice for my subscription this month!" }, { runtime: rt });
    expect(near.record.cache).toBe("semantic");
    expect((await fn.withRecord({ ticket: "The app crashes when I upload a photo" }, { runtime: rt })).record.cache).toBeNull();
    const v2 = prompt(meta({ version: 2, cache: { ttlMs: 60_000, semantic: { threshold: 0.9 } } }));
    expect((await v2.withRecord({ ticket: "i was charged  twice for my subscription this month!" }, { runtime: rt })).record.cache).toBeNull();
    expect(server.requests).toHaveLength(3);
  });
});
