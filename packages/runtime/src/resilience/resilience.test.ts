import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TransportError, type TransportErrorKind } from "../errors/transport-error.js";
import { nextDelay } from "./backoff.js";
import { ModelBreakers, ModelUnavailableError } from "./breakers.js";

const policy = { initialMs: 500, maxMs: 8000, multiplier: 2 };

describe("nextDelay", () => {
  type Case = [name: string, attempt: number, random: number, options: { retryAfterMs?: number; remainingMs?: number }, want: number | undefined];
  const cases: Case[] = [
    ["first retry: jitter within the initial delay", 1, 0.5, {}, 250],
    ["third retry: ceiling 2 s", 3, 1, {}, 2000],
    ["ceiling capped at max", 10, 1, {}, 8000],
    ["full jitter can be zero", 4, 0, {}, 0],
    ["Retry-After raises the delay", 1, 0.5, { retryAfterMs: 3000 }, 3000],
    ["Retry-After does not lower it", 5, 1, { retryAfterMs: 100 }, 8000],
    ["no time left before the deadline", 2, 0.5, { retryAfterMs: 3000, remainingMs: 1000 }, undefined],
    ["time left", 2, 0.5, { remainingMs: 10_000 }, 500],
  ];
  for (const [name, attempt, r, options, want] of cases) it(name, () => expect(nextDelay(attempt, policy, { ...options, random: () => r })).toBe(want));

  it("spreads delays uniformly over [0, ceiling]", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32);
    const delays = Array.from({ length: 4000 }, () => nextDelay(3, policy, { random })!);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2000);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(900);
    expect(mean).toBeLessThan(1100);
    expect(delays.filter((d) => d < 500).length / delays.length).toBeGreaterThan(0.2);
  });
});

describe("ModelBreakers", () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse("2026-11-22T12:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  const fail = (kind: TransportErrorKind, retryAfterMs?: number) => () => Promise.reject(new TransportError({ kind, message: kind, provider: "openai", model: "m", retryAfterMs }));
  const ok = () => Promise.resolve("ok");
  const attempt = async (b: ModelBreakers, fn: () => Promise<string>, model = "m") => b.execute("openai", model, fn).catch((e: unknown) => e);

  it("opens after consecutive failures, refuses without calling, and half-opens after the cooldown", async () => {
    const b = new ModelBreakers({ threshold: 3, cooldownMs: 10_000 });
    for (let i = 0; i < 3; i++) expect(await attempt(b, fail("server"))).toBeInstanceOf(TransportError);
    expect(b.state("openai", "m")).toBe("open");
    const called = vi.fn(ok);
    const refused = await attempt(b, called);
    expect(refused).toBeInstanceOf(ModelUnavailableError);
    expect(refused).toMatchObject({ reason: "circuit_open", retryable: false });
    expect(called).not.toHaveBeenCalled();
    expect(await attempt(b, ok, "other")).toBe("ok");
    vi.advanceTimersByTime(10_000);
    expect(await attempt(b, called)).toBe("ok");
    expect(b.state("openai", "m")).toBe("closed");
  });

  it("a success resets the count", async () => {
    const b = new ModelBreakers({ threshold: 3 });
    for (let i = 0; i < 10; i++) {
      await attempt(b, fail("timeout"));
      await attempt(b, fail("connection"));
      await attempt(b, ok);
    }
    expect(b.state("openai", "m")).toBe("closed");
  });

  it("a 429 with Retry-After cools the model down instead of counting as a failure", async () => {
    const b = new ModelBreakers({ threshold: 2 });
    for (let i = 0; i < 5; i++) {
      await attempt(b, fail("rate_limit", 2000));
      vi.advanceTimersByTime(2000);
    }
    expect(b.state("openai", "m")).toBe("closed");
    await attempt(b, fail("rate_limit", 2000));
    expect(b.state("openai", "m")).toBe("cooling");
    const called = vi.fn(ok);
    const refused = await attempt(b, called);
    expect(refused).toMatchObject({ reason: "cooling_down", kind: "rate_limit", retryable: true });
    expect((refused as ModelUnavailableError).retryAfterMs).toBe(2000);
    expect(called).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2000);
    expect(await attempt(b, called)).toBe("ok");
  });

  it("a caller that waited out Retry-After is let through when the clock reads 1 ms short of the cooldown", async () => {
    const b = new ModelBreakers({ threshold: 2 });
    await attempt(b, fail("rate_limit", 120));
    vi.advanceTimersByTime(118);
    expect(await attempt(b, vi.fn(ok))).toMatchObject({ reason: "cooling_down", retryAfterMs: 2 });
    vi.advanceTimersByTime(1); // 119 of 120 ms: what a 120 ms timer can read on waking
    expect(await attempt(b, vi.fn(ok))).toBe("ok");
  });

  it("a 429 without Retry-After counts", async () => {
    const b = new ModelBreakers({ threshold: 2 });
    await attempt(b, fail("rate_limit"));
    await attempt(b, fail("rate_limit"));
    expect(b.state("openai", "m")).toBe("open");
  });

  it("the caller's aborts and errors never count against the model", async () => {
    const b = new ModelBreakers({ threshold: 2 });
    for (const kind of ["aborted", "bad_request", "context_overflow", "auth", "not_found"] as const) {
      await attempt(b, fail(kind));
      await attempt(b, fail(kind));
    }
    await attempt(b, () => Promise.reject(new Error("a bug in the caller")));
    await attempt(b, () => Promise.reject(new Error("a bug in the caller")));
    expect(b.state("openai", "m")).toBe("closed");
  });
});
