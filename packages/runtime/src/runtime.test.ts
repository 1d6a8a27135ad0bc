// The call loop against the local server: retries, re-asks, fallbacks, deadlines, aborts,
// records. Waits are recorded instead of slept, so the tests are fast and exact.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { JsonlFileSink } from "./records/sinks.js";
import { definePrompt } from "./define-prompt.js";
import { AllModelsFailedError, CallAbortedError, InputValidationError, OutputParseError, PromptError } from "./errors/prompt-errors.js";
import { toStrictJsonSchema } from "./pure/openai-strict.js";
import { Runtime, type RuntimeOptions } from "./runtime.js";
import { mockServerForTests } from "./__fixtures__/mock-server.js";
import type { Message, PromptMeta } from "./contract/prompt.js";

const server = await mockServerForTests();

const OUTPUT_SCHEMA = { type: "object", properties: { queue: { enum: ["billing", "technical"] }, note: { type: "string" } }, required: ["queue"], additionalProperties: false };
const Output = z.object({ queue: z.enum(["billing", "technical"]), note: z.string().optional() });
const Input = z.object({ ticket: z.string(), tags: z.array(z.string()).nullish() });
type In = z.output<typeof Input>;

function meta(over: { chain?: string[]; fallback?: PromptMeta["policies"]["fallback"]; attempts?: number; reask?: number; timeoutMs?: number; deadlineMs?: number | null } = {}): PromptMeta {
  return {
    id: "support/route", version: 3, hash: "sha256:feedfacecafebeef", source: "prompts/support/route.prompt.yaml", description: null,
    model: { tier: "fast", chain: over.chain ?? ["openai:gpt-a", "anthropic:claude-b"], providers: { openai: { type: "openai" }, anthropic: { type: "anthropic" } }, maxTokens: 100, temperature: 0, topP: null, stop: null },
    output: { format: "json", schema: OUTPUT_SCHEMA, strict: true, wrapped: false },
    policies: {
      retry: { attempts: over.attempts ?? 3, timeoutMs: over.timeoutMs ?? 2000, deadlineMs: over.deadlineMs ?? null, backoff: { initialMs: 100, maxMs: 1000, multiplier: 2 } },
      reask: over.reask ?? 1, fallback: over.fallback ?? { kind: "error" }, budget: null, cache: null,
    },
  };
}
const render = (i: In): Message[] => [{ role: "system", content: "route it" }, { role: "user", content: `Ticket: ${i.ticket}` }];
const prompt = (m = meta()) => definePrompt<In, z.output<typeof Output>>(m, { InputSchema: Input, OutputSchema: Output }, render);

function runtime(extra: Partial<RuntimeOptions> = {}): { rt: Runtime; waits: number[] } {
  const waits: number[] = [];
  const rt = new Runtime({
    env: {},
    providers: { openai: { apiKey: "sk-test-openai-key-0001", baseURL: server.openaiBaseURL }, anthropic: { apiKey: "sk-ant-test-0002", baseURL: server.anthropicBaseURL } },
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
    ...extra,
  });
  return { rt, waits };
}

describe("a call", () => {
  it("returns the validated output and records it", async () => {
    const { rt } = runtime();
    server.enqueue({ json: { queue: "billing", note: "double charge" }, usage: { input: 30, output: 8 } });
    const { output, record } = await prompt().withRecord({ ticket: "charged twice" }, { runtime: rt });
    expect(output).toEqual({ queue: "billing", note: "double charge" });
    expect(record).toMatchObject({
      promptId: "support/route", version: 3, hash: "sha256:feedfacecafebeef", tier: "fast", requestedModel: "openai:gpt-a", answeredModel: "gpt-a", provider: "openai",
      reasks: 0, fallback: null, inputTokens: 30, outputTokens: 8, valid: true, errorCode: null, attempts: [{ provider: "openai", model: "gpt-a", outcome: "ok", reask: false }],
    });
    expect(record.callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rt.memory.records.at(-1)).toBe(record);
    const sent = server.requests[0]!.body;
    expect(sent).toMatchObject({ model: "gpt-a", max_completion_tokens: 100, response_format: { json_schema: { strict: true, schema: toStrictJsonSchema(OUTPUT_SCHEMA, false) } } });
    expect(sent["messages"]).toEqual([{ role: "system", content: "route it" }, { role: "user", content: "Ticket: charged twice" }]);
  });

  it("strict mode's null for an optional field becomes absent", async () => {
    const { rt } = runtime();
    server.enqueue({ json: { queue: "technical", note: null } });
    expect(await prompt()({ ticket: "x" }, { runtime: rt })).toEqual({ queue: "technical" });
  });

  it("sanitises input text and rejects empty required text before sending anything", async () => {
    const { rt } = runtime();
    server.enqueue({ json: { queue: "billing" } });
    await prompt()({ ticket: "Cafe\u0301 \u200bpay\u202Eday" }, { runtime: rt });
    expect((server.requests[0]!.body["messages"] as { content: string }[])[1]!.content).toBe("Ticket: Café payday");
    const sent = server.requests.length;
    await expect(prompt()({ ticket: "\u200b\u2060" }, { runtime: rt })).rejects.toBeInstanceOf(InputValidationError);
    await expect(prompt()({ ticket: "" }, { runtime: rt })).rejects.toMatchObject({ code: "E_INPUT_INVALID", message: expect.stringContaining("→ at ticket") });
    expect(server.requests.length).toBe(sent);
  });
});

describe("transport failures", () => {
  it("retries 5xx with backoff, then succeeds", async () => {
    const { rt, waits } = runtime();
    server.enqueue({ status: 503 }, { status: 500 }, { json: { queue: "billing" } });
    const { record } = await prompt().withRecord({ ticket: "x" }, { runtime: rt });
    expect(record.attempts.map((a) => [a.outcome, a.status])).toEqual([["transport_error", 503], ["transport_error", 500], ["ok", undefined]]);
    expect(waits).toEqual([50, 100]); // full jitter at 0.5 of 100 ms, then of 200 ms
  });

  it("honours Retry-After (in real time: the model cools down for every caller meanwhile)", async () => {
    const { rt } = runtime({ sleep: undefined });
    server.enqueue({ status: 429, headers: { "retry-after-ms": "120" } }, { json: { queue: "billing" } });
    const t0 = performance.now();
    const { record } = await prompt().withRecord({ ticket: "x" }, { runtime: rt });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    expect(record.attempts.map((a) => [a.outcome, a.status])).toEqual([["transport_error", 429], ["ok", undefined]]);
    expect(rt.breakers.state("openai", "gpt-a")).toBe("closed");
  });

  it("a caller meeting a model that another call's 429 cooled down waits it out", async () => {
    const { rt, waits } = runtime();
    server.enqueue({ status: 429, headers: { "retry-after-ms": "60000" } });
    await prompt(meta({ chain: ["openai:gpt-a"], attempts: 1 }))({ ticket: "x" }, { runtime: rt }).catch(() => {});
    const sent = server.requests.length;
    const e = await prompt(meta({ chain: ["openai:gpt-a"], attempts: 2, deadlineMs: 5000 }))({ ticket: "y" }, { runtime: rt }).catch((x: unknown) => x);
    expect(server.requests.length).toBe(sent); // nothing sent while cooling
    expect((e as PromptError).attempts.map((a) => a.outcome)).toEqual(["unavailable"]); // 60 s wait would pass the 5 s deadline
    expect(waits).toEqual([]);
  });

  it("never retries 400, 401, 403 or 404: it moves to the next model", async () => {
    for (const status of [400, 401, 403, 404]) {
      const { rt, waits } = runtime();
      server.requests.length = 0;
      server.enqueue({ status }, { json: { queue: "technical" } });
      const { record } = await prompt().withRecord({ ticket: "x" }, { runtime: rt });
      expect(record.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(["openai:transport_error", "anthropic:ok"]);
      expect(record.fallback).toBe("model");
      expect(record.answeredModel).toBe("claude-b");
      expect(waits).toEqual([]);
      expect(server.requests.map((r) => r.protocol)).toEqual(["openai", "anthropic"]);
    }
  });

  it("falls back along the chain when a model's attempts are spent", async () => {
    const { rt } = runtime();
    server.enqueue({ status: 500 }, { status: 502 }, { status: 503 }, { json: { queue: "billing" } });
    const { record } = await prompt().withRecord({ ticket: "x" }, { runtime: rt });
    expect(record.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(["openai:transport_error", "openai:transport_error", "openai:transport_error", "anthropic:ok"]);
  });

  it("every model failing is a typed error with every attempt, or the declared fallback value", async () => {
    const { rt } = runtime();
    server.setHandler(() => ({ status: 500 }));
    const e = await prompt()({ ticket: "x" }, { runtime: rt }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AllModelsFailedError);
    expect(e).toMatchObject({ code: "E_ALL_MODELS_FAILED", promptId: "support/route", version: 3 });
    expect((e as PromptError).attempts).toHaveLength(6);
    expect((e as PromptError).message).toContain("Declare `fallback: { value: … }`");
    const degraded = prompt(meta({ fallback: { kind: "value", value: { queue: "technical" } } }));
    const { output, record } = await degraded.withRecord({ ticket: "x" }, { runtime: rt });
    expect(output).toEqual({ queue: "technical" });
    expect(record).toMatchObject({ fallback: "value", valid: true, errorCode: "E_ALL_MODELS_FAILED" });
  });

  it("a hanging model times out per attempt; the deadline bounds the whole call", async () => {
    const { rt } = runtime({ sleep: undefined });
    server.setHandler(() => ({ hang: true }));
    const t0 = performance.now();
    const e = await prompt(meta({ timeoutMs: 100, deadlineMs: 450 }))({ ticket: "x" }, { runtime: rt }).catch((x: unknown) => x);
    const took = performance.now() - t0;
    expect(e).toMatchObject({ code: "E_DEADLINE" });
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(1500);
    expect((e as PromptError).attempts.every((a) => a.errorKind === "timeout")).toBe(true);
  });

  // The SDKs' own timeouts stop at the response headers; a body that stalls after them is ours to end.
  it("a reply whose body stalls after the headers times out per attempt too", async () => {
    const { rt } = runtime();
    server.enqueue({ stallBody: true }, { json: { queue: "billing" } });
    const t0 = performance.now();
    const { output, record } = await prompt(meta({ timeoutMs: 200 })).withRecord({ ticket: "x" }, { runtime: rt });
    expect(output).toEqual({ queue: "billing" });
    expect(record.attempts.map((a) => [a.outcome, a.errorKind])).toEqual([["transport_error", "timeout"], ["ok", undefined]]);
    expect(performance.now() - t0).toBeLessThan(1500);
    await server.idle(); // the stalled reply's connection was closed, not left open
  });

  it("the caller's abort ends a call whose reply stalls mid-body, and closes it", async () => {
    const { rt } = runtime();
    server.setHandler(() => ({ stallBody: true }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    const t0 = performance.now();
    const e = await prompt(meta({ timeoutMs: 5_000 }))({ ticket: "x" }, { runtime: rt, signal: controller.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CallAbortedError);
    expect(performance.now() - t0).toBeLessThan(1000);
    await server.idle();
  });

  it("the caller's abort ends the call at once, without a fallback", async () => {
    const { rt } = runtime();
    server.setHandler(() => ({ hang: true }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    const t0 = performance.now();
    const e = await prompt(meta({ fallback: { kind: "value", value: { queue: "technical" } } }))({ ticket: "x" }, { runtime: rt, signal: controller.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CallAbortedError);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("an open breaker skips its model without calling it", async () => {
    const { rt } = runtime({ breakers: { threshold: 2, cooldownMs: 60_000 } });
    server.setHandler((r) => (r.protocol === "openai" ? { status: 500 } : { json: { queue: "billing" } }));
    await prompt(meta({ attempts: 2 }))({ ticket: "x" }, { runtime: rt });
    const before = server.requests.filter((r) => r.protocol === "openai").length;
    const { record } = await prompt(meta({ attempts: 2 })).withRecord({ ticket: "x" }, { runtime: rt });
    expect(server.requests.filter((r) => r.protocol === "openai").length).toBe(before);
    expect(record.attempts[0]).toMatchObject({ provider: "openai", outcome: "unavailable" });
    expect(record.answeredModel).toBe("claude-b");
  });
});

describe("invalid output", () => {
  it("re-asks with the errors and the format, without using up a transport attempt", async () => {
    const { rt } = runtime();
    server.enqueue({ json: { queue: "sales" } }, { json: { queue: "billing" } });
    const { record } = await prompt(meta({ attempts: 1 })).withRecord({ ticket: "x" }, { runtime: rt });
    expect(record.reasks).toBe(1);
    expect(record.attempts.map((a) => [a.outcome, a.reask])).toEqual([["invalid_output", false], ["ok", true]]);
    const reask = server.requests[1]!.body["messages"] as { role: string; content: string }[];
    expect(reask.slice(-2).map((m) => m.role)).toEqual(["assistant", "user"]);
    expect(reask.at(-2)!.content).toBe('{"queue":"sales"}');
    expect(reask.at(-1)!.content).toContain("→ at queue");
    expect(reask.at(-1)!.content).toContain('"enum":["billing","technical"]');
  });

  it("moves on after the declared re-asks, and ends in E_OUTPUT_INVALID", async () => {
    const { rt } = runtime();
    server.setHandler(() => ({ text: "I think it is billing." }));
    const e = await prompt(meta({ reask: 2 }))({ ticket: "x" }, { runtime: rt }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "E_OUTPUT_INVALID" });
    const attempts = (e as PromptError).attempts;
    expect(attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual([...Array(3).fill("openai:invalid_output"), ...Array(3).fill("anthropic:invalid_output")]);
    expect(attempts.filter((a) => a.reask)).toHaveLength(4);
  });

  it("a chatty reply (prose, a fence, a trailing comma, a wrong-case enum) is read without a re-ask", async () => {
    const { rt } = runtime();
    server.enqueue({ text: 'Sure! Here is the routing:\n```json\n{"queue": "Billing", "note": "double charge",}\n```\nLet me know.' });
    const { output, record } = await prompt().withRecord({ ticket: "x" }, { runtime: rt });
    expect(output).toEqual({ queue: "billing", note: "double charge" });
    expect(record.reasks).toBe(0);
  });

  it("fn.parse reads a reply you already have, or says why it cannot", async () => {
    const fn = prompt();
    expect(await fn.parse("Answer: {queue: technical, note: 'see logs'}")).toEqual({ queue: "technical", note: "see logs" });
    await expect(fn.parse("No idea, sorry.")).rejects.toThrow(OutputParseError);
    await expect(fn.parse('{"queue": "sales"}')).rejects.toThrow(/→ at queue/);
  });

  it("Anthropic answers through the forced tool", async () => {
    const { rt } = runtime();
    const claude = prompt(meta({ chain: ["anthropic:claude-b"] }));
    server.enqueue({ json: { queue: "technical" } });
    expect(await claude({ ticket: "x" }, { runtime: rt })).toEqual({ queue: "technical" });
    expect(server.requests[0]!.body).toMatchObject({ tool_choice: { type: "tool" }, tools: [{ input_schema: OUTPUT_SCHEMA }], system: "route it" });
  });
});

describe("providers and records", () => {
  it("skips a model whose provider is not configured", async () => {
    const rt = new Runtime({ env: {}, providers: { anthropic: { apiKey: "k", baseURL: server.anthropicBaseURL } } });
    server.enqueue({ json: { queue: "billing" } });
    const { record } = await prompt().withRecord({ ticket: "x" }, { runtime: rt });
    expect(record.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(["openai:not_configured", "anthropic:ok"]);
  });

  it("writes JSON Lines records that carry no key", async () => {
    const path = join(tmpdir(), `promptc-records-${process.pid}-${Date.now()}.jsonl`);
    const sink = new JsonlFileSink(path);
    const { rt } = runtime({ sinks: [sink] });
    server.enqueue({ status: 401 }, { json: { queue: "billing" } });
    await prompt()({ ticket: "x" }, { runtime: rt });
    await prompt()({ ticket: "y" }, { runtime: rt }).catch(() => {});
    await sink.flush();
    const text = readFileSync(path, "utf8");
    rmSync(path);
    const lines = text.trim().split("\n").map((l) => JSON.parse(l) as { promptId: string });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.promptId).toBe("support/route");
    expect(text).not.toContain("sk-test-openai-key-0001");
    expect(text).not.toContain("sk-ant-test-0002");
  });
});
