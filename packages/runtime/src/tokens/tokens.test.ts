import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "../define-prompt.js";
import { ContextOverflowError } from "../errors/prompt-errors.js";
import { Runtime } from "../runtime.js";
import { startMockServer, type MockServer } from "../testing/server.js";
import type { Message, PromptMeta } from "../contract/prompt.js";
import { countOpenAI, estimate, fitsWindow, upperBound } from "./count.js";
import { contextWindow } from "./windows.js";

describe("contextWindow", () => {
  const table: [string, string, number | undefined][] = [
    ["openai", "gpt-4o", 128_000],
    ["openai", "gpt-4o-mini", 128_000],
    ["openai", "gpt-4o-2024-08-06", 128_000],
    ["openai", "gpt-4.1-mini", 1_047_576],
    ["openai", "gpt-5.4-nano", 400_000],
    ["openai", "gpt-5.4", 1_050_000], // its own entry, not gpt-5's
    ["openai", "gpt-5.4-mini", 400_000],
    ["openai", "gpt-5.3", undefined], // not in the table: not assumed to share gpt-5's window
    ["anthropic", "claude-haiku-4-5-20251001", 200_000],
    ["anthropic", "claude-sonnet-4-6", 1_000_000],
    ["local", "llama3.1:8b", undefined],
  ];
  for (const [provider, model, want] of table) it(`${provider}:${model}`, () => expect(contextWindow(provider, model)).toBe(want));
  it("a declared window wins", () => {
    expect(contextWindow("openai", "gpt-5.4", { "openai:gpt-5.4": 272_000 })).toBe(272_000);
    expect(contextWindow("local", "llama3.1:8b", { "llama3.1:8b": 8192 })).toBe(8192);
  });
});

describe("counting", () => {
  const samples = ["Hello, world.", "Ünïcödé and 中文字符 and emoji 🎉🎉", "function f(x) { return x * 2; } // code", "a ".repeat(500), "\n\n\t  "];
  it("the byte bound is never below the exact count", async () => {
    for (const text of samples) {
      const messages: Message[] = [{ role: "system", content: "be brief" }, { role: "user", content: text }];
      expect(upperBound(messages)).toBeGreaterThanOrEqual(await countOpenAI(messages));
    }
  }, 20_000);

  it("counts English text at roughly four characters a token", async () => {
    const n = await countOpenAI([{ role: "user", content: "The quick brown fox jumps over the lazy dog. ".repeat(20) }]);
    expect(n).toBeGreaterThan(150);
    expect(n).toBeLessThan(260);
  }, 20_000);

  it("decides from the bound when it can, counts or estimates only near the limit", async () => {
    const short: Message[] = [{ role: "user", content: "hi" }];
    expect(await fitsWindow(short, 0, 100, 1000, "openai")).toEqual({ fits: true });
    expect(await fitsWindow(short, 0, 100, undefined, "openai")).toEqual({ fits: true });
    const long: Message[] = [{ role: "user", content: "hello ".repeat(1000) }];
    expect(await fitsWindow(long, 0, 100, 2000, "openai")).toMatchObject({ fits: true, inputTokens: expect.any(Number) });
    expect(await fitsWindow(long, 0, 100, 900, "openai")).toMatchObject({ fits: false, window: 900 });
    expect(await fitsWindow(long, 0, 100, 2000, "other")).toEqual({ fits: false, inputTokens: estimate(long), window: 2000 });
    // What the request carries besides the messages (a schema, a tool) counts against the window too.
    expect(await fitsWindow(short, 950, 100, 1000, "openai")).toMatchObject({ fits: false, window: 1000 });
  }, 20_000);
});

describe("the runtime checks windows before sending", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ handler: () => ({ text: "ok" }) });
  });
  afterAll(() => server.close());

  const meta = (fallback: PromptMeta["policies"]["fallback"] = { kind: "error" }): PromptMeta => ({
    id: "t/long", version: 1, hash: "sha256:2222222222222222", source: "prompts/t/long.prompt.yaml", description: null,
    model: { tier: "fast", chain: ["openai:small", "anthropic:big"], providers: { openai: { type: "openai" }, anthropic: { type: "anthropic" } }, maxTokens: 100, temperature: null, topP: null, stop: null },
    output: { format: "text", schema: null, strict: false, wrapped: false },
    policies: { retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback, budget: null, cache: null },
  });
  const fn = (m: PromptMeta) => definePrompt(m, { InputSchema: z.object({ text: z.string() }), OutputSchema: z.string() }, (i): Message[] => [{ role: "user", content: i.text }]);
  const runtime = (windows: Record<string, number>) => new Runtime({ env: {}, contextWindows: windows, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL }, anthropic: { apiKey: "k", baseURL: server.anthropicBaseURL } } });

  it("skips a model whose window cannot hold the request, and sends nothing to it", async () => {
    server.requests.length = 0;
    const { record } = await fn(meta()).withRecord({ text: "hello ".repeat(1000) }, { runtime: runtime({ "openai:small": 900, "anthropic:big": 100_000 }) });
    expect(record.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(["openai:context_overflow", "anthropic:ok"]);
    expect(record.attempts[0]!.inputTokens).toBeGreaterThan(800);
    expect(server.requests.map((r) => r.protocol)).toEqual(["anthropic"]);
  }, 20_000);

  it("a window given with the model's price (config `prices:`, stamped into the prompt) is checked too", async () => {
    server.requests.length = 0;
    const m = meta();
    const priced = { ...m, model: { ...m.model, prices: { "openai:small": { input: 1, output: 1, contextWindow: 900 } } } };
    const { record } = await fn(priced).withRecord({ text: "hello ".repeat(1000) }, { runtime: runtime({}) });
    expect(record.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(["openai:context_overflow", "anthropic:ok"]);
    const viaRuntime = new Runtime({ env: {}, prices: { "openai:small": { input: 1, output: 1, contextWindow: 900 } }, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL }, anthropic: { apiKey: "k", baseURL: server.anthropicBaseURL } } });
    expect((await fn(meta()).withRecord({ text: "hello ".repeat(1000) }, { runtime: viaRuntime })).record.attempts[0]!.outcome).toBe("context_overflow");
    expect(server.requests.map((r) => r.protocol)).toEqual(["anthropic", "anthropic"]);
  }, 20_000);

  it("too large for every model is ContextOverflowError, even with a fallback value", async () => {
    server.requests.length = 0;
    const e = await fn(meta({ kind: "value", value: "fallback" }))({ text: "hello ".repeat(1000) }, { runtime: runtime({ "openai:small": 900, "anthropic:big": 900 }) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContextOverflowError);
    expect(e).toMatchObject({ code: "E_CONTEXT_OVERFLOW", message: expect.stringContaining("nothing was sent") });
    expect(server.requests).toHaveLength(0);
  }, 20_000);
});
