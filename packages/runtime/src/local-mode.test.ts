// Local mode (PROMPTC_LOCAL_URL, `localServer`): every provider's calls go to promptc's local
// server with no key, cost 0, say `local` in their records, and never share a cache entry with
// real calls. And the stand-in model that `promptc serve` answers with.
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "./define-prompt.js";
import { Runtime } from "./runtime.js";
import { MemoryStore } from "./store/memory.js";
import { startMockServer, standInReply, type MockRequest } from "./testing/index.js";
import type { PromptMeta } from "./contract/prompt.js";

const server = await startMockServer({ handler: standInReply });
afterAll(() => server.close());

const OUTPUT = { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false };
function prompt(chain: string[], cache: PromptMeta["policies"]["cache"] = null) {
  const meta: PromptMeta = {
    id: "t/local", version: 1, hash: "sha256:1111111111111111", source: "prompts/t/local.prompt.yaml", description: null,
    model: { tier: "fast", chain, providers: { openai: { type: "openai" }, anthropic: { type: "anthropic" } }, maxTokens: 50, temperature: 0, topP: null, stop: null },
    output: { format: "json", schema: OUTPUT, strict: true, wrapped: false },
    policies: { retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache },
  };
  return definePrompt<{ t: string }, { queue: "billing" | "technical" }>(meta, { InputSchema: z.object({ t: z.string() }), OutputSchema: z.object({ queue: z.enum(["billing", "technical"]) }) }, (i) => [{ role: "user", content: i.t }]);
}

describe("local mode", () => {
  it("PROMPTC_LOCAL_URL sends OpenAI and Anthropic calls to the local server with no key, at no cost, marked local", async () => {
    const rt = new Runtime({ env: { PROMPTC_LOCAL_URL: `${server.url}/` } });
    const before = server.requests.length;
    const openai = await prompt(["openai:gpt-5.4-mini"]).withRecord({ t: "a technical problem" }, { runtime: rt });
    expect(openai.output).toEqual({ queue: "technical" });
    expect(openai.record).toMatchObject({ local: true, costUsd: 0, provider: "openai", attempts: [{ outcome: "ok", costUsd: 0 }] });
    const anthropic = await prompt(["anthropic:claude-haiku-4-5"]).withRecord({ t: "about billing" }, { runtime: rt });
    expect(anthropic.output).toEqual({ queue: "billing" });
    expect(anthropic.record).toMatchObject({ local: true, costUsd: 0, provider: "anthropic" });
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/messages"]);
  });

  it("a runtime without it records no `local` and prices the call", async () => {
    const rt = new Runtime({ env: {}, providers: { openai: { apiKey: "sk-test-0001", baseURL: server.openaiBaseURL } } });
    const { record } = await prompt(["openai:gpt-5.4-mini"]).withRecord({ t: "billing" }, { runtime: rt });
    expect(record.local).toBeUndefined();
    expect(record.costUsd).toBeGreaterThan(0);
  });

  it("local replies are cached apart: a real call in the same store never reads them", async () => {
    const store = new MemoryStore();
    const cache = { ttlMs: 60_000, semantic: null };
    const local = new Runtime({ env: {}, localServer: server.url, store });
    const real = new Runtime({ env: {}, store, providers: { openai: { apiKey: "sk-test-0001", baseURL: server.openaiBaseURL } } });
    const p = prompt(["openai:gpt-5.4-mini"], cache);
    expect((await p.withRecord({ t: "billing" }, { runtime: local })).record.cache).toBeNull();
    expect((await p.withRecord({ t: "billing" }, { runtime: local })).record.cache).toBe("exact");
    const sent = server.requests.length;
    const r = await p.withRecord({ t: "billing" }, { runtime: real });
    expect(r.record.cache).toBeNull();
    expect(server.requests.length).toBe(sent + 1);
  });
});

describe("the stand-in model", () => {
  const openai = (content: string, schema?: unknown): MockRequest => ({
    protocol: "openai", path: "/v1/chat/completions", headers: {}, stream: false, model: "m",
    body: { messages: [{ role: "system", content: "you sort things" }, { role: "user", content }], ...(schema ? { response_format: { type: "json_schema", json_schema: { name: "x", schema } } } : {}) },
  });
  const cases: [string, { request: MockRequest; want: unknown }][] = [
    ["a text reply echoes the last user message", { request: openai("  hello there  "), want: { text: "hello there" } }],
    ["an enum takes the value the message names", { request: openai("this is a bug report", { type: "object", properties: { kind: { enum: ["billing", "bug", "question"] } } }), want: { json: { kind: "bug" } } }],
    ["an enum the message does not name takes its first value", { request: openai("hello", { enum: ["low", "high"] }), want: { json: "low" } }],
    ["a value is named as a word, not inside one", { request: openai("debugging", { enum: ["low", "bug"] }), want: { json: "low" } }],
    ["a string is the message's first sentence, within its bounds", { request: openai("First one. Second one.", { type: "object", properties: { s: { type: "string", maxLength: 5 }, t: { type: "string", minLength: 30 } } }), want: { json: { s: "First", t: "First one.".padEnd(30, ".") } } }],
    ["numbers, booleans, nulls, arrays and nested objects are schema-valid", {
      request: openai("x", { type: "object", properties: { n: { type: "integer", minimum: 3 }, b: { type: "boolean" }, u: { type: ["string", "null"], format: "email" }, a: { type: "array", minItems: 2, items: { const: 1 } }, o: { type: "object", properties: { d: { type: "string", format: "date" } } } } }),
      want: { json: { n: 3, b: false, u: "someone@example.com", a: [1, 1], o: { d: "2026-01-01" } } },
    }],
    ["Anthropic's forced tool gets the value as its input", {
      request: { protocol: "anthropic", path: "/v1/messages", headers: {}, stream: false, model: "m", body: { messages: [{ role: "user", content: [{ type: "text", text: "about billing" }] }], tools: [{ name: "out", input_schema: { type: "object", properties: { q: { enum: ["technical", "billing"] } } } }], tool_choice: { type: "tool", name: "out" } } },
      want: { json: { q: "billing" } },
    }],
  ];
  for (const [name, { request, want }] of cases) it(name, () => expect(standInReply(request)).toEqual(want));
});
