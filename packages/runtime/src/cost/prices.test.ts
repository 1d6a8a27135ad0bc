import { describe, expect, it } from "vitest";
import { BUNDLED_PRICES, costUsd, priceOf, PriceTableError, validatePrices } from "./prices.js";

describe("prices", () => {
  it("the bundled table is valid and covers the example tiers", () => {
    expect(() => validatePrices(BUNDLED_PRICES)).not.toThrow();
    for (const m of ["openai:gpt-5.4-mini", "openai:gpt-5.4", "anthropic:claude-haiku-4-5", "anthropic:claude-sonnet-4-6"]) expect(BUNDLED_PRICES[m], m).toBeDefined();
  });

  it.each([
    ["a negative price", { "openai:x": { input: -1, output: 1 } }, /price of openai:x: input is negative/],
    ["a missing price", { "openai:x": { input: 1 } }, /price of openai:x: output is missing/],
    ["a price per token, not per million", { "anthropic:y": { input: 3000, output: 1 } }, /price of anthropic:y: input of 3000 USD per million tokens is not plausible/],
    ["not a number", { "openai:x": { input: "1", output: 1 } }, /input must be a number/],
    ["a bad window", { "openai:x": { input: 1, output: 1, contextWindow: 0 } }, /contextWindow must be a positive integer/],
    ["a name without provider", { "gpt-5": { input: 1, output: 1 } }, /name it as provider:model/],
  ])("rejects %s, naming the model", (_, table, message) => {
    expect(() => validatePrices(table as never)).toThrow(PriceTableError);
    expect(() => validatePrices(table as never)).toThrow(message);
  });

  it("finds a dated model by its base name; overrides win", () => {
    expect(priceOf("anthropic", "claude-haiku-4-5-20251001")?.input).toBe(1);
    expect(priceOf("openai", "gpt-5.4-mini", { "openai:gpt-5.4-mini": { input: 9, output: 9, cachedInput: 9, contextWindow: 1 } })?.input).toBe(9);
    expect(priceOf("local", "llama3.1:8b")).toBeUndefined();
  });

  it("costs cached input at its own rate", () => {
    const p = { input: 2, output: 10, cachedInput: 0.5, contextWindow: 1 };
    expect(costUsd(p, { inputTokens: 1_000_000, outputTokens: 100_000 })).toBeCloseTo(3);
    expect(costUsd(p, { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 500_000 })).toBeCloseTo(1.25);
  });
});
