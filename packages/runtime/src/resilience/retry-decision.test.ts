// The retry decision after a failed attempt, case by case.
import { describe, expect, it } from "vitest";
import { TransportError, type TransportErrorKind } from "../errors/transport-error.js";
import { ModelUnavailableError } from "./breakers.js";
import { retryDecision, type RetryContext } from "./retry-decision.js";

const error = (kind: TransportErrorKind, extra: { status?: number; retryAfterMs?: number } = {}) => new TransportError({ kind, message: kind, provider: "openai", model: "m", ...extra });
const ctx = (over: Partial<RetryContext> = {}): RetryContext => ({ attempt: 1, maxAttempts: 3, backoff: { initialMs: 100, maxMs: 1000, multiplier: 2 }, remainingMs: Infinity, callerAborted: false, random: () => 0.5, ...over });

describe("the retry decision", () => {
  it.each([
    ["a timeout, first attempt: retry after half the first ceiling (jitter 0.5)", error("timeout"), ctx(), { action: "retry", delayMs: 50 }],
    ["a timeout, second attempt: the ceiling doubles", error("timeout"), ctx({ attempt: 2 }), { action: "retry", delayMs: 100 }],
    ["the ceiling stops at maxMs", error("server", { status: 503 }), ctx({ attempt: 2, backoff: { initialMs: 800, maxMs: 1000, multiplier: 2 } }), { action: "retry", delayMs: 500 }],
    ["a 429 waits at least its Retry-After", error("rate_limit", { status: 429, retryAfterMs: 700 }), ctx(), { action: "retry", delayMs: 700 }],
    ["the last attempt moves to the next model", error("timeout"), ctx({ attempt: 3 }), { action: "next-model" }],
    ["a wait past the deadline moves to the next model now", error("rate_limit", { status: 429, retryAfterMs: 5000 }), ctx({ remainingMs: 4000 }), { action: "next-model" }],
    ["a 400 is not retried", error("bad_request", { status: 400 }), ctx(), { action: "next-model" }],
    ["an open breaker moves on", new ModelUnavailableError("openai", "m", "circuit_open"), ctx(), { action: "next-model" }],
    ["a cooldown waits it out on the same model", new ModelUnavailableError("openai", "m", "cooling_down", 300), ctx(), { action: "retry", delayMs: 300 }],
    ["the caller's abort ends the call", error("aborted"), ctx(), { action: "aborted" }],
    ["an abort seen on the signal ends it too, whatever the error", error("timeout"), ctx({ callerAborted: true }), { action: "aborted" }],
  ])("%s", (_, e, c, decision) => {
    expect(retryDecision(e, c)).toEqual(decision);
  });
});
