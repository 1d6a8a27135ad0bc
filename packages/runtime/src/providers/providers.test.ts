// Provider adapters against the local server: request shapes, response mapping, and every
// transport failure classified for the retry loop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../testing/server.js";
import { outputName } from "../pure/wire.js";
import { anthropicToolProblems, createAdapter, providerSettings, retryAfterMs, toolFor, TransportError, type ProviderRequest } from "./index.js";

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
const openai = () => createAdapter({ name: "openai", type: "openai", apiKey: KEY, baseURL: server.openaiBaseURL });
const compatible = () => createAdapter({ name: "local", type: "openai-compatible", baseURL: server.openaiBaseURL });
const anthropic = () => createAdapter({ name: "anthropic", type: "anthropic", apiKey: KEY, baseURL: server.anthropicBaseURL });

const SCHEMA = { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false };
const request = (over: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: "m-1",
  messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hi" }],
  maxTokens: 64,
  temperature: 0,
  topP: null,
  stop: null,
  output: { format: "text" },
  ...over,
});
const json = { format: "json" as const, name: "output", schema: SCHEMA, strictSchema: SCHEMA, wrapped: false };

async function failure(p: Promise<unknown>): Promise<TransportError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(TransportError);
  return e as TransportError;
}

describe("OpenAI adapter", () => {
  it("sends max_completion_tokens, sampling and strict structured output; maps the reply", async () => {
    server.enqueue({ json: { queue: "billing" }, usage: { input: 12, output: 5 } });
    const r = await openai().complete(request({ output: json, stop: ["END"] }));
    expect(r).toEqual({ text: '{"queue":"billing"}', model: "m-1", finishReason: "stop", usage: { inputTokens: 12, outputTokens: 5 } });
    const body = server.requests.at(-1)!.body;
    expect(body).toMatchObject({ model: "m-1", max_completion_tokens: 64, temperature: 0, stop: ["END"], response_format: { type: "json_schema", json_schema: { name: "output", strict: true, schema: SCHEMA } } });
    expect(body["max_tokens"]).toBeUndefined();
    expect(body["messages"]).toEqual([{ role: "system", content: "be brief" }, { role: "user", content: "hi" }]);
  });

  it("leaves temperature and top_p out for OpenAI's reasoning models, not for others", async () => {
    await openai().complete(request({ model: "gpt-5.4-mini", topP: 0.9 }));
    expect(server.requests.at(-1)!.body).not.toHaveProperty("temperature");
    expect(server.requests.at(-1)!.body).not.toHaveProperty("top_p");
    await openai().complete(request({ model: "o4-mini" }));
    expect(server.requests.at(-1)!.body).not.toHaveProperty("temperature");
    await openai().complete(request({ model: "gpt-4.1-mini", topP: 0.9 }));
    expect(server.requests.at(-1)!.body).toMatchObject({ temperature: 0, top_p: 0.9 });
    await openai().complete(request({ model: "gpt-5-chat-latest" }));
    expect(server.requests.at(-1)!.body).toMatchObject({ temperature: 0 });
    await compatible().complete(request({ model: "o1-local-finetune" }));
    expect(server.requests.at(-1)!.body).toMatchObject({ temperature: 0 });
  });

  it("a schema that cannot be strict is sent with strict: false", async () => {
    await openai().complete(request({ output: { ...json, strictSchema: null } }));
    expect(server.requests.at(-1)!.body["response_format"]).toMatchObject({ json_schema: { strict: false } });
  });

  it("OpenAI-compatible servers get max_tokens and need no key", async () => {
    server.enqueue({ text: "ok", finish: "length" });
    const r = await compatible().complete(request());
    expect([r.text, r.finishReason]).toEqual(["ok", "length"]);
    expect(server.requests.at(-1)!.body["max_tokens"]).toBe(64);
  });
});

describe("Anthropic adapter", () => {
  it("sends system apart and structured output as a forced tool; returns the tool input", async () => {
    server.enqueue({ json: { queue: "technical" } });
    const r = await anthropic().complete(request({ output: json }));
    expect(r.value).toEqual({ queue: "technical" });
    expect(r.text).toBe('{"queue":"technical"}');
    const body = server.requests.at(-1)!.body;
    expect(body).toMatchObject({ system: "be brief", max_tokens: 64, tool_choice: { type: "tool", name: "output" }, tools: [{ name: "output", input_schema: SCHEMA }] });
    expect(body["messages"]).toEqual([{ role: "user", content: "hi" }]);
  });

  it("a non-object output travels wrapped and comes back unwrapped", async () => {
    server.enqueue({ json: { value: 42 } });
    const r = await anthropic().complete(request({ output: { format: "json", name: "output", schema: { type: "integer" }, strictSchema: null, wrapped: true } }));
    expect(r.value).toBe(42);
    expect(server.requests.at(-1)!.body["tools"]).toEqual([expect.objectContaining({ input_schema: { type: "object", properties: { value: { type: "integer" } }, required: ["value"], additionalProperties: false } })]);
  });

  it("text replies", async () => {
    server.enqueue({ text: "plain words", finish: "max_tokens" });
    const r = await anthropic().complete(request());
    expect([r.text, r.finishReason, r.value]).toEqual(["plain words", "length", undefined]);
  });
});

describe("what Anthropic takes as a tool", () => {
  const tool = (input_schema: Record<string, unknown>, name = "support_route") => ({ name, description: "d", input_schema: input_schema as { type: "object" } });
  it.each([
    ["an object schema", tool({ type: "object", properties: { a: { type: "string" } } }), []],
    ["a non-object root", tool({ type: "array" }), ['its input schema must have type "object" at the root, not "array"']],
    ["anyOf at the root", tool({ type: "object", anyOf: [{ required: ["a"] }] }), ["its input schema may not use anyOf at the root"]],
    ["oneOf and allOf at the root, no type", tool({ oneOf: [{}], allOf: [{}] }), ['its input schema must have type "object" at the root, not null', "its input schema may not use oneOf at the root", "its input schema may not use allOf at the root"]],
    ["a name with a slash", tool({ type: "object" }, "support/route"), ['the tool name "support/route" must be 1 to 64 letters, digits, _ or -']],
  ])("%s", (_, t, problems) => {
    expect(anthropicToolProblems(t)).toEqual(problems);
  });

  it("the forced tool for any output, wrapped or not, is one it takes", () => {
    for (const [schema, wrapped] of [[SCHEMA, false], [{ type: "array", items: {} }, true], [{ anyOf: [{ type: "string" }, { type: "null" }] }, true]] as const) {
      expect(anthropicToolProblems(toolFor(outputName("a/b.c-d"), schema, wrapped))).toEqual([]);
    }
  });
});

describe("usage and what a request carries", () => {
  const cached = { input: 5000, output: 40, cacheRead: 3000, cacheWrite: 1200, cacheWrite1h: 300 };
  const adapters = [
    ["OpenAI", openai, { inputTokens: 5000, outputTokens: 40, cachedInputTokens: 3000, cacheWriteTokens: 1500 }],
    ["Anthropic", anthropic, { inputTokens: 5000, outputTokens: 40, cachedInputTokens: 3000, cacheWriteTokens: 1200, cacheWrite1hTokens: 300 }],
  ] as const;

  // OpenAI has one cache-write figure; the server reports the 1-hour writes there too.
  it.each(adapters)("%s: cache reads and writes are part of the input, in calls and in streams", async (_, make, usage) => {
    const reply = { json: { queue: "billing" }, usage: make === openai ? { ...cached, cacheWrite: 1500, cacheWrite1h: 0 } : cached };
    server.enqueue(reply, reply);
    expect((await make().complete(request({ output: json }))).usage).toEqual(usage);
    const stream = await make().stream(request({ output: json }));
    for await (const _ of stream) void _;
    expect((await stream.final()).usage).toEqual(usage);
  });

  it.each(adapters)("%s: no cache fields when the provider reports none", async (_, make) => {
    server.enqueue({ json: { queue: "billing" }, usage: { input: 12, output: 5 } });
    expect((await make().complete(request({ output: json }))).usage).toEqual({ inputTokens: 12, outputTokens: 5 });
  });

  // The server bills everything but the messages at one token per byte, plus Anthropic's
  // tool-use system prompt: the adapter's bound must cover that for every output shape.
  it.each(adapters)("%s: the bound on what a request carries besides the messages covers the worst bill", async (_, make) => {
    const outputs = [
      json,
      { format: "json" as const, name: "list_of_things", schema: { type: "array", items: { type: "object", properties: { "naïve ☃": { type: "string", description: "ünïcödé 👨‍👩‍👧" } } } }, strictSchema: null, wrapped: true },
      { format: "text" as const },
    ];
    for (const output of outputs) {
      const adapter = make();
      server.enqueue({ json: output.format === "json" && output.wrapped ? { value: [] } : { queue: "billing" } });
      server.setBilling({ perByte: true });
      const bare = request({ messages: [{ role: "user", content: "hi" }] });
      await adapter.complete({ ...bare, output });
      const { body, protocol } = server.requests.at(-1)!;
      server.setBilling(undefined);
      const { billedInputTokens } = await import("../testing/billing.js");
      const messagesOnly = billedInputTokens(protocol, { messages: body["messages"] }, { perByte: true });
      const carried = billedInputTokens(protocol, body, { perByte: true }) - messagesOnly;
      expect(adapter.inputOverheadBound!(output), JSON.stringify(output)).toBeGreaterThanOrEqual(carried);
      if (output.format === "text") expect(adapter.inputOverheadBound!(output)).toBe(0);
      else expect(adapter.inputOverheadBound!(output)).toBeGreaterThan(0);
    }
  });
});

describe("transport failures", () => {
  type Case = [name: string, reply: Parameters<MockServer["enqueue"]>[0], want: Partial<Pick<TransportError, "kind" | "status" | "retryAfterMs" | "retryable">>];
  const cases: Case[] = [
    ["429 with retry-after-ms", { status: 429, headers: { "retry-after-ms": "1500", "retry-after": "9" } }, { kind: "rate_limit", status: 429, retryAfterMs: 1500, retryable: true }],
    ["429 with retry-after seconds", { status: 429, headers: { "retry-after": "2" } }, { kind: "rate_limit", retryAfterMs: 2000, retryable: true }],
    ["500", { status: 500 }, { kind: "server", retryable: true }],
    ["503", { status: 503 }, { kind: "server", retryable: true }],
    ["408", { status: 408 }, { kind: "server", retryable: true }],
    ["409", { status: 409 }, { kind: "server", retryable: true }],
    ["529", { status: 529 }, { kind: "overloaded", retryable: true }],
    ["400", { status: 400 }, { kind: "bad_request", retryable: false }],
    ["400 context overflow", { status: 400, body: JSON.stringify({ error: { message: "This model's maximum context length is 8192 tokens", type: "invalid_request_error" } }) }, { kind: "context_overflow", retryable: false }],
    ["401", { status: 401 }, { kind: "auth", retryable: false }],
    ["403", { status: 403 }, { kind: "auth", retryable: false }],
    ["404", { status: 404 }, { kind: "not_found", retryable: false }],
    ["malformed JSON", { body: '{"choices": [' }, { kind: "server", retryable: true }],
  ];
  for (const [name, reply, want] of cases) {
    it(`${name} (OpenAI)`, async () => {
      server.enqueue(reply);
      expect(await failure(openai().complete(request()))).toMatchObject(want);
    });
  }
  it("429 and 529 (Anthropic)", async () => {
    server.enqueue({ status: 429, headers: { "retry-after": "1" } }, { status: 529 });
    expect(await failure(anthropic().complete(request()))).toMatchObject({ kind: "rate_limit", retryAfterMs: 1000, retryable: true });
    expect(await failure(anthropic().complete(request()))).toMatchObject({ kind: "overloaded", retryable: true });
  });

  it("a timeout signal is a retryable timeout; the caller's abort is not retryable", async () => {
    server.enqueue({ hang: true }, { hang: true });
    expect(await failure(openai().complete(request({ signal: AbortSignal.timeout(100) })))).toMatchObject({ kind: "timeout", retryable: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failure(anthropic().complete(request({ signal: controller.signal })))).toMatchObject({ kind: "aborted", retryable: false });
  });

  // The adapters keep to timeoutMs themselves, from the start of the attempt, headers and body
  // alike, and close the connection of a reply they give up on.
  for (const [name, make] of [["openai", () => openai()], ["anthropic", () => anthropic()]] as const) {
    it(`${name}: timeoutMs ends a hung request and a stalled body, and closes both`, async () => {
      for (const reply of [{ hang: true }, { stallBody: true }]) {
        server.enqueue(reply);
        const t0 = performance.now();
        expect(await failure(make().complete(request({ timeoutMs: 150 })))).toMatchObject({ kind: "timeout", retryable: true });
        expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
        expect(performance.now() - t0).toBeLessThan(600);
        await server.idle();
      }
    });
  }

  it("a refused connection", async () => {
    const gone = await startMockServer();
    const url = gone.openaiBaseURL;
    await gone.close();
    expect(await failure(createAdapter({ name: "openai", type: "openai", apiKey: "k", baseURL: url }).complete(request()))).toMatchObject({ kind: "connection", retryable: true });
  });

  it("never carries the API key, even when the provider echoes it", async () => {
    const echo = JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}. Also sk-proj-****6789.`, type: "invalid_request_error" } });
    server.enqueue({ status: 401, body: echo }, { status: 401, body: echo });
    for (const adapter of [openai(), anthropic()]) {
      const e = await failure(adapter.complete(request()));
      const everything = JSON.stringify({ message: e.message, stack: e.stack, cause: (e as { cause?: unknown }).cause, own: { ...e } });
      expect(everything).not.toContain(KEY);
      expect(everything).not.toContain("sk-proj");
      expect(e.message).toContain("[redacted");
    }
  });
});

describe("settings and Retry-After", () => {
  it("take keys and base URLs from the environment, or the config's api_key_env", () => {
    const env = { OPENAI_API_KEY: "o-key", OPENAI_BASE_URL: "http://127.0.0.1:1/v1", ANTHROPIC_API_KEY: "a-key", MY_KEY: "m-key" };
    expect(providerSettings("openai", {}, env)).toEqual({ name: "openai", type: "openai", apiKey: "o-key", baseURL: "http://127.0.0.1:1/v1" });
    expect(providerSettings("anthropic", {}, env)).toEqual({ name: "anthropic", type: "anthropic", apiKey: "a-key", baseURL: undefined });
    expect(providerSettings("local", { type: "openai-compatible", base_url: "http://127.0.0.1:2/v1" }, env)).toEqual({ name: "local", type: "openai-compatible", apiKey: undefined, baseURL: "http://127.0.0.1:2/v1" });
    expect(providerSettings("team", { type: "openai", api_key_env: "MY_KEY" }, env).apiKey).toBe("m-key");
  });

  it("parse retry-after-ms, seconds and HTTP dates", () => {
    const h = (o: Record<string, string>) => ({ get: (k: string) => o[k] ?? null });
    const now = Date.parse("2026-11-22T10:00:00Z");
    expect(retryAfterMs(h({ "retry-after-ms": "250.5" }), now)).toBe(250.5);
    expect(retryAfterMs(h({ "retry-after": "1.5" }), now)).toBe(1500);
    expect(retryAfterMs(h({ "retry-after": "Sun, 22 Nov 2026 10:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(h({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(h({}), now)).toBeUndefined();
  });
});
