// What a failed attempt costs a budget: whether it may have been billed, and at what.
import { describe, expect, it } from "vitest";
import { priceOf } from "../cost/prices.js";
import { TransportError, type TransportErrorKind } from "../errors/transport-error.js";
import { mayHaveBeenBilled, ModelUnavailableError } from "../resilience/breakers.js";
import { failedAttemptNanos } from "./budgets.js";

const transport = (kind: TransportErrorKind, status?: number) => new TransportError({ kind, message: kind, provider: "openai", model: "m", ...(status ? { status } : {}) });

describe("whether a failed attempt may have been billed", () => {
  it.each([
    ["a timeout (the request was sent)", transport("timeout"), true],
    ["a broken connection", transport("connection"), true],
    ["the caller's abort", transport("aborted"), true],
    ["an error from the adapter itself", new Error("boom"), true],
    ["a 500: the provider answered and did not run the model", transport("server", 500), false],
    ["a 429", transport("rate_limit", 429), false],
    ["a 400", transport("bad_request", 400), false],
    ["an open breaker: nothing was sent", new ModelUnavailableError("openai", "m", "circuit_open"), false],
    ["a cooldown after a 429", new ModelUnavailableError("openai", "m", "cooling_down", 2000), false],
  ])("%s", (_, error, billed) => {
    expect(mayHaveBeenBilled(error)).toBe(billed);
  });
});

describe("the cost of a failed attempt that may have been billed", () => {
  const gpt54 = priceOf("openai", "gpt-5.4")!;
  it.each([
    ["an unpriced model", undefined, 1000, 0],
    ["its input at the input rate", gpt54, 1000, 2_500_000], // 1,000 tokens at $2.50 per million: $0.0025,
    ["past 272K tokens, at gpt-5.4's long-context rate", gpt54, 300_000, 1_500_000_000],
    ["at the write rate where the provider writes its cache unasked", priceOf("openai", "gpt-5.6-luna")!, 1000, 1_250_000],
  ])("%s", (_, price, tokens, nanos) => {
    expect(failedAttemptNanos(price, tokens)).toBe(nanos);
  });
});
