// fn.stream: text deltas and typed partial objects, retries and fallbacks only before the first
// content chunk, chunk timeouts, aborts that close the connection.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "./define-prompt.js";
import { CallAbortedError, PromptError, StreamFailedError } from "./errors/prompt-errors.js";
import { Runtime } from "./runtime.js";
import { mockServerForTests } from "./__fixtures__/mock-server.js";
import type { Message, PromptMeta, StreamEvent } from "./contract/prompt.js";

const server = await mockServerForTests();

const SCHEMA = { type: "object", properties: { queue: { enum: ["billing", "technical"] }, summary: { type: "string" } }, required: ["queue", "summary"], additionalProperties: false };
const Output = z.object({ queue: z.enum(["billing", "technical"]), summary: z.string() });
const Input = z.object({ ticket: z.string() });
const render = (i: { ticket: string }): Message[] => [{ role: "user", content: i.ticket }];

function meta(over: { text?: boolean; chain?: string[]; fallback?: PromptMeta["policies"]["fallback"]; timeoutMs?: number } = {}): PromptMeta {
  return {
    id: "s/route", version: 1, hash: "sha256:1111111111111111", source: "prompts/s/route.prompt.yaml", description: null,
    model: { tier: "fast", chain: over.chain ?? ["openai:gpt-a", "anthropic:claude-b"], providers: { openai: { type: "openai" }, anthropic: { type: "anthropic" } }, maxTokens: 100, temperature: 0, topP: null, stop: null },
    output: over.text ? { format: "text", schema: null, strict: false, wrapped: false } : { format: "json", schema: SCHEMA, strict: true, wrapped: false },
    policies: { retry: { attempts: 2, timeoutMs: over.timeoutMs ?? 2000, deadlineMs: null, backoff: { initialMs: 5, maxMs: 10, multiplier: 2 } }, reask: 1, fallback: over.fallback ?? { kind: "error" }, budget: null, cache: null },
  };
}
const runtime = () => new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL }, anthropic: { apiKey: "k", baseURL: server.anthropicBaseURL } } });
const jsonPrompt = (m = meta()) => definePrompt(m, { InputSchema: Input, OutputSchema: Output }, render);

async function collect<O>(stream: AsyncIterable<StreamEvent<O>>): Promise<StreamEvent<O>[]> {
  const events: StreamEvent<O>[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

describe("fn.stream", () => {
  it("streams text deltas and resolves to the whole text", async () => {
    const fn = definePrompt(meta({ text: true }), { InputSchema: Input, OutputSchema: z.string() }, render);
    server.enqueue({ text: "Hello Ana, your refund is on its way.", stream: { chunkSize: 6 } });
    const s = fn.stream({ ticket: "x" }, { runtime: runtime() });
    const events = await collect(s);
    expect(events.every((e) => e.type === "text")).toBe(true);
    expect(events.map((e) => (e as { delta: string }).delta).join("")).toBe("Hello Ana, your refund is on its way.");
    expect(events.at(-1)).toMatchObject({ text: "Hello Ana, your refund is on its way." });
    expect(await s.result).toBe("Hello Ana, your refund is on its way.");
    const record = await s.record;
    expect(record.timeToFirstChunkMs).not.toBeNull();
    expect(record.valid).toBe(true);
  });

  it("streams typed partial objects from OpenAI, ending in the validated output", async () => {
    server.enqueue({ json: { queue: "billing", summary: "charged twice this month" }, stream: { chunkSize: 5 } });
    const s = jsonPrompt().stream({ ticket: "x" }, { runtime: runtime() });
    const partials = (await collect(s)).map((e) => (e as { value: unknown }).value);
    expect(partials.length).toBeGreaterThan(3);
    expect(partials[0]).toEqual({});
    // Every partial is the final output so far: its strings are prefixes of the final ones.
    for (const p of partials as { queue?: string; summary?: string }[]) {
      expect("billing".startsWith(p.queue ?? "")).toBe(true);
      expect("charged twice this month".startsWith(p.summary ?? "")).toBe(true);
    }
    expect(new Set(partials.map((p) => JSON.stringify(p))).size).toBe(partials.length);
    expect(partials.at(-1)).toEqual({ queue: "billing", summary: "charged twice this month" });
    expect(await s.result).toEqual({ queue: "billing", summary: "charged twice this month" });
  });

  it("streams Anthropic's tool input as partial objects", async () => {
    server.enqueue({ json: { queue: "technical", summary: "app crashes on upload" }, stream: { chunkSize: 4 } });
    const s = jsonPrompt(meta({ chain: ["anthropic:claude-b"] })).stream({ ticket: "x" }, { runtime: runtime() });
    const partials = (await collect(s)).map((e) => (e as { value: unknown }).value);
    expect(partials.at(-1)).toEqual({ queue: "technical", summary: "app crashes on upload" });
    expect(await s.result).toEqual({ queue: "technical", summary: "app crashes on upload" });
  });

  it("retries and moves along the chain before the first chunk", async () => {
    server.enqueue({ status: 503 }, { json: { queue: "billing", summary: "ok" } });
    const s = jsonPrompt().stream({ ticket: "x" }, { runtime: runtime() });
    expect(await s.result).toEqual({ queue: "billing", summary: "ok" });
    expect((await s.record).attempts.map((a) => a.outcome)).toEqual(["transport_error", "ok"]);
  });

  it("a first chunk that does not come in time moves to the next model", async () => {
    server.setHandler((r) => (r.protocol === "openai" ? { json: { queue: "billing", summary: "late" }, stream: { firstChunkDelayMs: 1000 } } : { json: { queue: "technical", summary: "on time" } }));
    const t0 = performance.now();
    const s = jsonPrompt().stream({ ticket: "x" }, { runtime: runtime(), firstChunkTimeoutMs: 100 });
    expect(await s.result).toEqual({ queue: "technical", summary: "on time" });
    expect(performance.now() - t0).toBeLessThan(900);
    const record = await s.record;
    expect(record.fallback).toBe("model");
    expect(record.attempts.map((a) => `${a.provider}:${a.outcome}:${a.errorKind ?? ""}`)).toEqual(["openai:transport_error:timeout", "openai:transport_error:timeout", "anthropic:ok:"]);
    await server.idle();
  });

  it("a stream that stalls after content fails with E_STREAM_FAILED and no other model", async () => {
    server.enqueue({ json: { queue: "billing", summary: "stalls here" }, stream: { chunkSize: 6, hangAfter: 2 } });
    const s = jsonPrompt(meta({ fallback: { kind: "value", value: { queue: "technical", summary: "" } } })).stream({ ticket: "x" }, { runtime: runtime(), chunkTimeoutMs: 100 });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const e of s) seen.push(e);
    })().catch((x: unknown) => x);
    expect(error).toBeInstanceOf(StreamFailedError);
    expect(error).toMatchObject({ code: "E_STREAM_FAILED" });
    expect(seen.length).toBeGreaterThan(0);
    await expect(s.result).rejects.toBeInstanceOf(StreamFailedError);
    expect(server.requests).toHaveLength(1);
    await server.idle();
  });

  it("a stream cut off after content fails with E_STREAM_FAILED", async () => {
    server.enqueue({ text: "partial answer that never ends", stream: { chunkSize: 4, truncateAfter: 3 } });
    const fn = definePrompt(meta({ text: true }), { InputSchema: Input, OutputSchema: z.string() }, render);
    await expect(fn.stream({ ticket: "x" }, { runtime: runtime() }).result).rejects.toMatchObject({ code: "E_STREAM_FAILED" });
  });

  it("the caller's abort ends the stream and closes the connection", async () => {
    server.enqueue({ text: "a long answer streamed slowly", stream: { chunkSize: 2, chunkDelayMs: 40 } });
    const fn = definePrompt(meta({ text: true }), { InputSchema: Input, OutputSchema: z.string() }, render);
    const controller = new AbortController();
    const s = fn.stream({ ticket: "x" }, { runtime: runtime(), signal: controller.signal });
    let n = 0;
    const error = await (async () => {
      for await (const _ of s) if (++n === 2) controller.abort();
    })().catch((x: unknown) => x);
    expect(error).toBeInstanceOf(CallAbortedError);
    await server.idle();
  });

  it("an invalid final output is not re-asked: the fallback value, or E_OUTPUT_INVALID", async () => {
    server.enqueue({ json: { queue: "sales", summary: "x" } }, { json: { queue: "sales", summary: "x" } });
    const withFallback = jsonPrompt(meta({ fallback: { kind: "value", value: { queue: "technical", summary: "" } } }));
    expect(await withFallback.stream({ ticket: "x" }, { runtime: runtime() }).result).toEqual({ queue: "technical", summary: "" });
    const e = await jsonPrompt().stream({ ticket: "x" }, { runtime: runtime() }).result.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PromptError);
    expect(e).toMatchObject({ code: "E_OUTPUT_INVALID" });
    expect(server.requests).toHaveLength(2);
  });
});
