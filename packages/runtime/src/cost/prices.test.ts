import { describe, expect, it } from "vitest";
import { MODEL_SHUTDOWNS, shutdownStatus } from "./lifecycle.js";
import { BUNDLED_PRICES, costUsd, priceOf, PriceTableError, validatePrices, worstInputRate, type ModelPrice } from "./prices.js";

const price = (over: Partial<ModelPrice> = {}): ModelPrice => ({ input: 2, output: 10, cachedInput: 0.5, cacheWrite: 2.5, cacheWrite1h: 4, contextWindow: 1, ...over });

describe("the bundled price table", () => {
  it("is valid, covers the example tiers, and names a source and date for each entry", () => {
    expect(() => validatePrices(BUNDLED_PRICES)).not.toThrow();
    for (const m of ["openai:gpt-5.4-mini", "openai:gpt-5.4", "anthropic:claude-haiku-4-5", "anthropic:claude-sonnet-4-6"]) expect(BUNDLED_PRICES[m], m).toBeDefined();
    for (const [model, p] of Object.entries(BUNDLED_PRICES)) {
      expect(p.source, model).toMatch(/^https:\/\//);
      expect(p.asOf, model).toMatch(/^2026-12-\d\d$/);
    }
  });

  it("lists no model that has shut down, and every replacement is priced and not shutting down", () => {
    const asOf = new Date("2026-12-03T00:00:00Z");
    for (const model of Object.keys(BUNDLED_PRICES)) {
      const [provider, name] = model.split(":") as [string, string];
      expect(shutdownStatus(provider, name, asOf)?.state, model).not.toBe("shut-down");
    }
    for (const [model, s] of Object.entries(MODEL_SHUTDOWNS)) {
      const [provider, name] = s.replacement.split(":") as [string, string];
      expect(priceOf(provider, name), `${model} → ${s.replacement}`).toBeDefined();
      expect(shutdownStatus(provider, name, asOf), s.replacement).toBeUndefined();
    }
  });

  it("Anthropic's cache writes cost 1.25x input (5 minutes) and 2x (1 hour), reads 0.1x; batch halves", () => {
    const p = priceOf("anthropic", "claude-sonnet-4-6")!;
    expect([p.cachedInput, p.cacheWrite, p.cacheWrite1h]).toEqual([expect.closeTo(0.3, 12), 3.75, 6]);
    expect(p.batch).toEqual({ input: 1.5, output: 7.5 });
    expect(priceOf("openai", "gpt-5.6-terra")).toMatchObject({ cacheWrite: 3.125, writesCacheUnasked: true });
  });
});

describe("validatePrices", () => {
  it.each([
    ["a negative price", { "openai:x": { input: -1, output: 1 } }, /price of openai:x: input is negative/],
    ["a missing price", { "openai:x": { input: 1 } }, /price of openai:x: output is missing/],
    ["a price per token, not per million", { "anthropic:y": { input: 3000, output: 1 } }, /price of anthropic:y: input of 3000 USD per million tokens is not plausible/],
    ["not a number", { "openai:x": { input: "1", output: 1 } }, /input must be a number/],
    ["a bad cache-write price", { "openai:x": { input: 1, output: 1, cacheWrite: -2 } }, /cacheWrite is negative/],
    ["a bad long-context price", { "openai:x": { input: 1, output: 1, longContext: { aboveInputTokens: 10, input: 1, output: "x", cachedInput: 1 } } }, /longContext\.output must be a number/],
    ["a bad window", { "openai:x": { input: 1, output: 1, contextWindow: 0 } }, /contextWindow must be a positive integer/],
    ["a name without provider", { "gpt-5": { input: 1, output: 1 } }, /name it as provider:model/],
  ])("rejects %s, naming the model", (_, table, message) => {
    expect(() => validatePrices(table as never)).toThrow(PriceTableError);
    expect(() => validatePrices(table as never)).toThrow(message);
  });

  it("defaults cache prices to the input price", () => {
    expect(validatePrices({ "openai:x": { input: 3, output: 9 } })["openai:x"]).toEqual({ input: 3, output: 9, cachedInput: 3, cacheWrite: 3, cacheWrite1h: 3, contextWindow: 0 });
  });
});

describe("priceOf", () => {
  it("finds a dated model by its base name; overrides win", () => {
    expect(priceOf("anthropic", "claude-haiku-4-5-20251001")?.input).toBe(1);
    expect(priceOf("openai", "gpt-5.4-mini", { "openai:gpt-5.4-mini": price({ input: 9 }) })?.input).toBe(9);
    expect(priceOf("local", "llama3.1:8b")).toBeUndefined();
    expect(priceOf("anthropic", "claude-sonnet-4-5")).toBeUndefined(); // shut down
  });
});

describe("costUsd", () => {
  it.each([
    ["plain input and output", { inputTokens: 1_000_000, outputTokens: 100_000 }, 2 + 1],
    ["cache reads at their rate", { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 500_000 }, 1 + 0.25],
    ["5-minute cache writes at theirs", { inputTokens: 1_000_000, outputTokens: 0, cacheWriteTokens: 400_000 }, 1.2 + 1],
    ["1-hour cache writes at theirs", { inputTokens: 1_000_000, outputTokens: 0, cacheWrite1hTokens: 250_000 }, 1.5 + 1],
    ["reads and both writes at once", { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 200_000, cacheWriteTokens: 200_000, cacheWrite1hTokens: 200_000 }, 0.8 + 0.1 + 0.5 + 0.8],
    ["reads and writes never past the input", { inputTokens: 100, outputTokens: 0, cachedInputTokens: 80, cacheWriteTokens: 80 }, (80 * 0.5 + 20 * 2.5) / 1e6],
  ])("%s", (_, usage, usd) => {
    expect(costUsd(price(), usage)).toBeCloseTo(usd, 12);
  });

  it("gpt-5.4 bills a whole request past 272K input tokens at $5 / $22.50", () => {
    const p = priceOf("openai", "gpt-5.4")!;
    expect(costUsd(p, { inputTokens: 272_000, outputTokens: 1000 })).toBeCloseTo((272_000 * 2.5 + 1000 * 15) / 1e6, 12);
    expect(costUsd(p, { inputTokens: 272_001, outputTokens: 1000 })).toBeCloseTo((272_001 * 5 + 1000 * 22.5) / 1e6, 12);
    expect(costUsd(p, { inputTokens: 300_000, outputTokens: 0, cachedInputTokens: 100_000 })).toBeCloseTo((200_000 * 5 + 100_000 * 0.5) / 1e6, 12);
  });

  it("the worst case prices input at the long-context rate past the threshold, and at the write rate where writes come unasked", () => {
    const p = priceOf("openai", "gpt-5.4")!;
    expect(worstInputRate(p, 1000)).toEqual({ input: 2.5, output: 15 });
    expect(worstInputRate(p, 300_000)).toEqual({ input: 5, output: 22.5 });
    expect(worstInputRate(priceOf("openai", "gpt-5.6-luna")!, 1000)).toEqual({ input: 1.25, output: 6 });
    expect(worstInputRate(priceOf("anthropic", "claude-haiku-4-5")!, 1000)).toEqual({ input: 1, output: 5 }); // promptc never asks Anthropic to cache
  });
});

describe("shutdowns", () => {
  const at = (day: string) => new Date(`${day}T12:00:00Z`);
  it.each([
    ["openai", "gpt-5", "2026-11-01", undefined],
    ["openai", "gpt-5", "2026-11-11", { state: "shutting-down", daysLeft: 30 }],
    ["openai", "gpt-5", "2026-12-03", { state: "shutting-down", daysLeft: 8 }],
    ["openai", "gpt-5-2025-08-07", "2026-12-10", { state: "shutting-down", daysLeft: 1, model: "openai:gpt-5" }],
    ["openai", "gpt-5", "2026-12-11", { state: "shut-down" }],
    ["openai", "gpt-5.4", "2026-12-11", undefined],
    ["openai", "o4-mini", "2026-12-03", { state: "shut-down", shutdown: { replacement: "openai:gpt-5.4-mini", exact: false } }],
    ["anthropic", "claude-opus-4-0", "2026-07-01", { state: "shut-down", model: "anthropic:claude-opus-4" }],
    ["anthropic", "claude-sonnet-4-20250514", "2026-06-14", { state: "shutting-down", daysLeft: 1 }],
    ["anthropic", "claude-sonnet-4-6", "2026-12-03", undefined],
  ])("%s:%s on %s", (provider, model, day, expected) => {
    const status = shutdownStatus(provider, model, at(day));
    if (expected === undefined) expect(status).toBeUndefined();
    else expect(status).toMatchObject(expected);
  });
});
