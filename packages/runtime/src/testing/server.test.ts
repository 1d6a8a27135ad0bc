// The local server speaks both protocols as the official SDKs expect, JSON and SSE, and
// injects the faults the runtime must survive. The SDKs are the clients, with maxRetries 0.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startMockServer, type MockServer } from "./server.js";

let server: MockServer;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  server = await startMockServer();
  openai = new OpenAI({ apiKey: "test-key", baseURL: server.openaiBaseURL, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: "test-key", baseURL: server.anthropicBaseURL, maxRetries: 0 });
});
afterAll(() => server.close());
afterEach(() => server.setHandler(undefined));

const SCHEMA = { type: "object", properties: { queue: { enum: ["billing", "technical"] }, confidence: { type: "number", minimum: 0 } }, required: ["queue", "confidence"], additionalProperties: false };
const ask = { model: "gpt-4.1-mini", max_tokens: 50, messages: [{ role: "user" as const, content: "hi" }] };
const askClaude = { model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user" as const, content: "hi" }] };

describe("OpenAI chat completions", () => {
  it("answers a scripted reply, with usage, and records the request", async () => {
    server.enqueue({ text: "routed to billing" });
    const r = await openai.chat.completions.create(ask);
    expect(r.choices[0]?.message.content).toBe("routed to billing");
    expect(r.choices[0]?.finish_reason).toBe("stop");
    expect(r.usage?.completion_tokens).toBeGreaterThan(0);
    const last = server.requests.at(-1)!;
    expect([last.protocol, last.model, last.stream]).toEqual(["openai", "gpt-4.1-mini", false]);
    expect(last.headers["authorization"]).toBe("Bearer test-key");
  });

  it("answers structured output with a schema-valid sample when nothing is scripted", async () => {
    const r = await openai.chat.completions.create({ ...ask, response_format: { type: "json_schema", json_schema: { name: "out", strict: true, schema: SCHEMA } } });
    expect(JSON.parse(r.choices[0]!.message.content!)).toEqual({ queue: "billing", confidence: 0 });
  });

  it("streams deltas, the finish reason and usage", async () => {
    server.enqueue({ json: { queue: "technical", confidence: 0.9 }, stream: { chunkSize: 5 } });
    const stream = await openai.chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let chunks = 0;
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) {
        text += delta;
        chunks++;
      }
      finish ??= chunk.choices[0]?.finish_reason;
      usage ??= chunk.usage ?? undefined;
    }
    expect(JSON.parse(text)).toEqual({ queue: "technical", confidence: 0.9 });
    expect(chunks).toBe(Math.ceil(text.length / 5));
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number) });
  });
});

describe("Anthropic messages", () => {
  it("answers text", async () => {
    server.enqueue({ text: "hello there" });
    const r = await anthropic.messages.create(askClaude);
    expect(r.content).toEqual([{ type: "text", text: "hello there" }]);
    expect(r.stop_reason).toBe("end_turn");
    const headers = server.requests.at(-1)!.headers;
    expect(headers["x-api-key"] ?? headers["authorization"]).toMatch(/test-key/);
  });

  it("answers a forced tool call with the scripted value, or a sample of the tool's schema", async () => {
    const tools = [{ name: "output", description: "the answer", input_schema: SCHEMA as Anthropic.Tool.InputSchema }];
    server.enqueue({ json: { queue: "technical", confidence: 0.5 } });
    const scripted = await anthropic.messages.create({ ...askClaude, tools, tool_choice: { type: "tool", name: "output" } });
    expect(scripted.stop_reason).toBe("tool_use");
    expect(scripted.content[0]).toMatchObject({ type: "tool_use", name: "output", input: { queue: "technical", confidence: 0.5 } });
    const sampled = await anthropic.messages.create({ ...askClaude, tools, tool_choice: { type: "tool", name: "output" } });
    expect(sampled.content[0]).toMatchObject({ type: "tool_use", input: { queue: "billing", confidence: 0 } });
  });

  it("streams text and tool input", async () => {
    server.enqueue({ text: "a streamed answer", stream: { chunkSize: 4 } });
    const text = await anthropic.messages.stream(askClaude).finalMessage();
    expect(text.content).toEqual([{ type: "text", text: "a streamed answer" }]);
    const tools = [{ name: "output", input_schema: SCHEMA as Anthropic.Tool.InputSchema }];
    server.enqueue({ json: { queue: "technical", confidence: 1 }, stream: { chunkSize: 3 } });
    const tool = await anthropic.messages.stream({ ...askClaude, tools, tool_choice: { type: "tool", name: "output" } }).finalMessage();
    expect(tool.content[0]).toMatchObject({ type: "tool_use", input: { queue: "technical", confidence: 1 } });
    expect(tool.usage.output_tokens).toBeGreaterThan(0);
  });
});

describe("faults", () => {
  it("429 with Retry-After and retry-after-ms reaches the SDKs as a rate-limit error with the headers", async () => {
    server.enqueue({ status: 429, headers: { "retry-after": "2", "retry-after-ms": "1500" } });
    const e = await openai.chat.completions.create(ask).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect((e as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after-ms")).toBe("1500");
    server.enqueue({ status: 429, headers: { "retry-after": "3" } });
    const a = await anthropic.messages.create(askClaude).catch((x: unknown) => x);
    expect(a).toBeInstanceOf(Anthropic.RateLimitError);
    expect((a as InstanceType<typeof Anthropic.RateLimitError>).headers.get("retry-after")).toBe("3");
  });

  it("server errors in each protocol's shape", async () => {
    server.enqueue({ status: 503 }, { status: 529 });
    await expect(openai.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const e = await anthropic.messages.create(askClaude).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Anthropic.APIError);
    expect((e as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((e as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
  });

  it("malformed JSON and schema-violating JSON", async () => {
    server.enqueue({ body: '{"id": "x", "choices": [' });
    await expect(openai.chat.completions.create(ask)).rejects.toThrow();
    server.enqueue({ json: { queue: "sales", confidence: "high" } });
    const r = await openai.chat.completions.create(ask);
    expect(JSON.parse(r.choices[0]!.message.content!)).toEqual({ queue: "sales", confidence: "high" });
  });

  it("delays the response", async () => {
    server.enqueue({ text: "late", delayMs: 150 });
    const t0 = performance.now();
    await openai.chat.completions.create(ask);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("hangs until the client times out, and closes cleanly with the call open", async () => {
    const hanging = await startMockServer({ replies: [{ hang: true }] });
    const client = new OpenAI({ apiKey: "k", baseURL: hanging.openaiBaseURL, maxRetries: 0, timeout: 200 });
    const t0 = performance.now();
    await expect(client.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(performance.now() - t0).toBeLessThan(2000);
    const stillHanging = new OpenAI({ apiKey: "k", baseURL: hanging.openaiBaseURL, maxRetries: 0 }).chat.completions.create(ask).catch((x: unknown) => x);
    hanging.enqueue({ hang: true });
    // The second request has arrived, and the first (given up on by its client) is closed.
    await vi.waitFor(() => expect([hanging.requests.length, hanging.inFlight()]).toEqual([2, 1]), { interval: 5 });
    await expect(hanging.idle(100)).rejects.toThrow("the local server still has 1 request in flight after 100 ms");
    await hanging.close();
    await hanging.idle(); // closing ended it
    expect(await stillHanging).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it("truncates a stream mid-way", async () => {
    server.enqueue({ text: "0123456789abcdefghij", stream: { chunkSize: 4, truncateAfter: 2 } });
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    let text = "";
    const iterate = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    };
    await expect(iterate()).rejects.toThrow();
    expect(text).toBe("01234567");
  });

  it("stalls a stream after some chunks until the client aborts", async () => {
    server.enqueue({ text: "0123456789", stream: { chunkSize: 2, hangAfter: 1, firstChunkDelayMs: 20 } });
    const controller = new AbortController();
    const stream = await anthropic.messages.create({ ...askClaude, stream: true }, { signal: controller.signal });
    let text = "";
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 150);
    // The SDK ends an aborted stream quietly rather than throwing: the runtime must notice the abort itself.
    for await (const e of stream) if (e.type === "content_block_delta" && e.delta.type === "text_delta") text += e.delta.text;
    expect(controller.signal.aborted).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(text).toBe("01");
  });

  it("a handler decides per request, after the queue", async () => {
    server.setHandler((req) => (req.protocol === "openai" ? { text: `model was ${req.model}` } : undefined));
    const r = await openai.chat.completions.create({ ...ask, model: "gpt-x" });
    expect(r.choices[0]?.message.content).toBe("model was gpt-x");
  });

  it("listens on loopback and answers unknown routes with 404", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${server.url}/v1/images/generations`, { method: "POST", body: "{}" });
    expect(r.status).toBe(404);
  });
});
