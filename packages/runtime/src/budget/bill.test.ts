// A budget held against the bill, not against the message text. The local server here bills
// every request the way the strictest provider could: one token per UTF-8 byte of everything it
// carries (messages with their framing, the output schema as sent, the forced tool, Anthropic's
// tool-use system prompt). The reservation must bound that, so no budget is overspent; and when
// a provider bills more than any documented bound (an extra charge per request), the real cost
// is recorded past the reservation, the overspend stays within the documented margin (the
// excess of the attempts in flight at once), and the next reservation is refused.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { mockServerForTests } from "../__fixtures__/mock-server.js";
import { definePrompt } from "../define-prompt.js";
import { BudgetExceededError } from "../errors/prompt-errors.js";
import { Runtime } from "../runtime.js";
import { MemoryStore } from "../store/memory.js";
import { RedisStore } from "../store/redis.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../contract/store.js";
import { redisForTests, sharedRedis, type RedisServer } from "../testing/redis-server.js";
import { upperBound } from "../tokens/count.js";
import type { Message, PromptMeta } from "../contract/prompt.js";

const server = await mockServerForTests();
const dir = mkdtempSync(join(tmpdir(), "promptc-bill-"));
const withRedis = redisForTests();
let redis: RedisServer | undefined;
beforeAll(async () => {
  if (withRedis) redis = await sharedRedis();
});
afterAll(async () => {
  await redis?.kill();
  rmSync(dir, { recursive: true, force: true });
});

// An extraction with a described schema: the schema as sent outweighs the message text, as it
// does in most structured prompts.
const FIELDS = Array.from({ length: 24 }, (_, i) => `field_${i}`);
const SCHEMA = {
  type: "object",
  properties: Object.fromEntries(FIELDS.map((f) => [f, { type: "string", description: `The ${f.replace("_", " ")} of the invoice, exactly as printed, or an empty string when absent` }])),
  required: FIELDS,
  additionalProperties: false,
};
const Output = z.object(Object.fromEntries(FIELDS.map((f) => [f, z.string()])));
const Input = z.object({ text: z.string() });
const VALUE = Object.fromEntries(FIELDS.map((f) => [f, "x"]));

const LIMIT_USD = 0.1;
const PRICE = { input: 3, output: 15 }; // USD per million tokens
const MAX_TOKENS = 300;
const CONCURRENCY = 8;
const CALLS = 60;

function meta(provider: "openai" | "anthropic"): PromptMeta {
  return {
    id: "bill/extract", version: 1, hash: "sha256:00000000000000bb", source: "prompts/bill/extract.prompt.yaml", description: null,
    model: { tier: "fast", chain: [`${provider}:model-a`], providers: { [provider]: { type: provider } }, maxTokens: MAX_TOKENS, temperature: 0, topP: null, stop: null },
    output: { format: "json", schema: SCHEMA, strict: true, wrapped: false },
    policies: {
      retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } },
      reask: 0, fallback: { kind: "error" },
      budget: { perCallUsd: null, perUserPerDayUsd: LIMIT_USD, perFeaturePerMonthUsd: null, perPromptPerDayUsd: null, perPromptPerMonthUsd: null, feature: null, alertAt: 0.8, onExceeded: "error" },
      cache: null,
    },
  };
}
const render = (i: { text: string }): Message[] => [{ role: "system", content: "Extract the invoice fields." }, { role: "user", content: i.text }];

const stores: [string, () => Promise<Store>][] = [
  ["memory", async () => new MemoryStore()],
  ["sqlite", async () => new SqliteStore(join(dir, `bill-${Math.random().toString(36).slice(2)}.db`))],
  ["redis", () => RedisStore.connect(redis!.url, { prefix: `bill:${Math.random().toString(36).slice(2)}:` })],
];

/** Runs CALLS calls for one user, CONCURRENCY at a time; what was served, and what the store holds. */
async function spend(provider: "openai" | "anthropic", store: Store) {
  const runtime = new Runtime({
    env: {}, store, sleep: async () => {},
    providers: { [provider]: { apiKey: "sk-test", baseURL: provider === "openai" ? server.openaiBaseURL : server.anthropicBaseURL } },
    prices: { [`${provider}:model-a`]: PRICE },
  });
  const fn = definePrompt(meta(provider), { InputSchema: Input, OutputSchema: Output }, render);
  const served: { costUsd: number; inputTokens: number; messageBound: number }[] = [];
  let refused = 0;
  let next = 0;
  const worker = async () => {
    while (next < CALLS) {
      const i = next++;
      const text = `Invoice ${i}: ACME GmbH, Königstraße ${i}, total 1.${i} EUR`;
      try {
        const { record } = await fn.withRecord({ text }, { runtime, user: "ana" });
        served.push({ costUsd: record.costUsd, inputTokens: record.inputTokens, messageBound: upperBound(render({ text })) });
      } catch (e) {
        expect(e).toBeInstanceOf(BudgetExceededError);
        refused++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const key = `budget:user:ana:day:${new Date().toISOString().slice(0, 10)}`;
  return { served, refused, storedUsd: (await store.spent(key)) / 1e9, billedUsd: served.reduce((s, r) => s + r.costUsd, 0) };
}

for (const [name, make] of stores) {
  describe.skipIf(name === "redis" && !withRedis)(`a budget against the bill (${name} store)`, () => {
    it.each(["openai", "anthropic"] as const)("%s: never overspent when every byte the request carries is billed", async (provider) => {
      server.setHandler(() => ({ json: VALUE }));
      server.setBilling({ perByte: true });
      const store = await make();
      const { served, refused, storedUsd, billedUsd } = await spend(provider, store);
      await store.close();
      server.setBilling(undefined);
      // The schema and tool are most of what is billed: a bound on the messages alone would overspend.
      for (const r of served) expect(r.inputTokens).toBeGreaterThan(3 * r.messageBound);
      expect(refused).toBeGreaterThan(0);
      expect(storedUsd).toBeCloseTo(billedUsd, 8); // the store holds what the server billed
      expect(billedUsd).toBeLessThanOrEqual(LIMIT_USD); // margin zero
      // ...and the budget is used, not refused early: the last call refused could not have fit.
      const worstCall = Math.max(...served.map((r) => r.inputTokens)) * 3e-6 + MAX_TOKENS * 15e-6;
      expect(billedUsd).toBeGreaterThan(LIMIT_USD - 2 * worstCall);
    });

    it.each(["openai", "anthropic"] as const)("%s: a charge past any bound is recorded in full, within the documented margin, and the next call is refused", async (provider) => {
      const EXTRA = 2000; // tokens per request no documentation mentions
      server.setHandler(() => ({ json: VALUE }));
      server.setBilling({ perByte: true, extraInputTokens: EXTRA });
      const store = await make();
      const { served, storedUsd, billedUsd } = await spend(provider, store);
      server.setBilling(undefined);
      expect(storedUsd).toBeCloseTo(billedUsd, 8); // settled past the reservation, not capped at it
      expect(billedUsd).toBeGreaterThan(LIMIT_USD - 1e-9 - CONCURRENCY * EXTRA * 3e-6); // the extra is charged
      // Documented margin: at most the unbounded excess of the attempts in flight at once.
      expect(billedUsd).toBeLessThanOrEqual(LIMIT_USD + CONCURRENCY * EXTRA * 3e-6);
      expect(served.length).toBeLessThan(CALLS);
      const fn = definePrompt(meta(provider), { InputSchema: Input, OutputSchema: Output }, render);
      const runtime = new Runtime({ env: {}, store, providers: { [provider]: { apiKey: "sk-test", baseURL: provider === "openai" ? server.openaiBaseURL : server.anthropicBaseURL } }, prices: { [`${provider}:model-a`]: PRICE } });
      const before = server.requests.length;
      await expect(fn({ text: "one more" }, { runtime, user: "ana" })).rejects.toBeInstanceOf(BudgetExceededError);
      expect(server.requests.length).toBe(before);
      await store.close();
    });
  });
}
