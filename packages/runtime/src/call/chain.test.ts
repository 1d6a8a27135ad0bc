// The call engine in process, through the adapter override: a scripted adapter per provider, no
// server and no sockets. One table of scripts × outcomes for calls and the same for streams; each
// case checks the output or the error code, the attempts recorded, and that the record was written
// exactly once (one delivery to the sink, with the call's error code).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Message, PromptMeta } from "../contract/prompt.js";
import type { ProviderAdapter, ProviderRequest, ProviderResponse, ProviderStream } from "../contract/provider.js";
import type { CallRecord, CallSink } from "../contract/records.js";
import { definePrompt } from "../define-prompt.js";
import { PromptError } from "../errors/prompt-errors.js";
import { TransportError } from "../errors/transport-error.js";
import { Runtime } from "../runtime.js";

/** What a scripted adapter does on one attempt. */
type Step =
  | { ok: unknown }
  | { text: string }
  | { fail: "server" | "rate_limit" | "bad_request" | "timeout" }
  /** Streams only: some content, then the connection breaks. */
  | { breakAfter: string };

const Output = z.object({ queue: z.enum(["billing", "technical"]) });
const SCHEMA = { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false };

function meta(over: { fallback?: unknown; attempts?: number; reask?: number; chain?: string[] } = {}): PromptMeta {
  return {
    id: "t/route", version: 1, hash: "sha256:0", source: "prompts/t/route.prompt.yaml", description: null,
    model: { tier: "fast", chain: over.chain ?? ["a:m1", "b:m2"], providers: { a: { type: "openai-compatible" }, b: { type: "openai-compatible" } }, maxTokens: 50, temperature: null, topP: null, stop: null },
    output: { format: "json", schema: SCHEMA, strict: false, wrapped: false },
    policies: {
      retry: { attempts: over.attempts ?? 2, timeoutMs: 5_000, deadlineMs: null, backoff: { initialMs: 10, maxMs: 100, multiplier: 2 } },
      reask: over.reask ?? 1, fallback: over.fallback === undefined ? { kind: "error" } : { kind: "value", value: over.fallback }, budget: null, cache: null,
    },
  };
}

const usage = { inputTokens: 10, outputTokens: 5 };
const reply = (text: string, model: string): ProviderResponse => ({ text, model, finishReason: "stop", usage });
const failure = (kind: "server" | "rate_limit" | "bad_request" | "timeout", model: string) =>
  new TransportError({ kind, message: `${kind}`, provider: "p", model, ...(kind === "bad_request" ? { status: 400 } : kind === "server" ? { status: 500 } : {}) });

/** An adapter that plays its steps in order, one per attempt, whole or streamed. */
function scripted(name: string, steps: Step[]): ProviderAdapter & { sent: ProviderRequest[] } {
  const sent: ProviderRequest[] = [];
  const next = (request: ProviderRequest): Step => {
    sent.push(request);
    const step = steps.shift();
    if (!step) throw new Error(`${name}: no step left for attempt ${sent.length}`);
    return step;
  };
  const textOf = (step: Step) => ("ok" in step ? JSON.stringify(step.ok) : "text" in step ? step.text : "");
  return {
    name, sent, enforcesTimeout: true,
    async complete(request) {
      const step = next(request);
      if ("fail" in step) throw failure(step.fail, request.model);
      return reply(textOf(step), request.model);
    },
    async stream(request): Promise<ProviderStream> {
      const step = next(request);
      if ("fail" in step) throw failure(step.fail, request.model);
      const chunks = "breakAfter" in step ? [step.breakAfter] : [textOf(step)];
      return {
        async *[Symbol.asyncIterator]() {
          for (const delta of chunks) yield { delta };
          if ("breakAfter" in step) throw failure("server", request.model);
        },
        final: async () => reply(chunks.join(""), request.model),
      };
    },
  };
}

interface Case {
  name: string;
  a: Step[];
  b?: Step[];
  meta?: Parameters<typeof meta>[0];
  /** The output, or the error code thrown. */
  expect: { output: unknown } | { code: string };
  /** The record's error code (a fallback value keeps the failure's code). */
  recordCode?: string | null;
  outcomes: string[];
  waits?: number;
}

function run(kind: "call" | "stream", c: Case) {
  const records: CallRecord[] = [];
  const sink: CallSink = { write: (r) => void records.push(r) };
  const waits: number[] = [];
  const a = scripted("a", [...c.a]);
  const b = scripted("b", [...(c.b ?? [])]);
  const rt = new Runtime({ env: {}, sinks: [sink], providers: { a: { adapter: a }, b: { adapter: b } }, random: () => 0.5, sleep: async (ms) => void waits.push(ms) });
  const fn = definePrompt<{ q: string }, z.output<typeof Output>>(meta(c.meta), { InputSchema: z.object({ q: z.string() }), OutputSchema: Output }, (i): Message[] => [{ role: "user", content: i.q }]);
  const result = kind === "call" ? fn({ q: "hi" }, { runtime: rt }) : fn.stream({ q: "hi" }, { runtime: rt }).result;
  return { result, records, waits };
}

const calls: Case[] = [
  { name: "answers at once", a: [{ ok: { queue: "billing" } }], expect: { output: { queue: "billing" } }, recordCode: null, outcomes: ["ok"] },
  { name: "retries a 500, then answers", a: [{ fail: "server" }, { ok: { queue: "technical" } }], expect: { output: { queue: "technical" } }, recordCode: null, outcomes: ["transport_error", "ok"], waits: 1 },
  { name: "a 400 is not retried: the next model answers", a: [{ fail: "bad_request" }], b: [{ ok: { queue: "billing" } }], expect: { output: { queue: "billing" } }, recordCode: null, outcomes: ["transport_error", "ok"] },
  { name: "re-asks an invalid output, without using up an attempt", a: [{ text: '{"queue":"sales"}' }, { ok: { queue: "billing" } }], expect: { output: { queue: "billing" } }, recordCode: null, outcomes: ["invalid_output", "ok"] },
  { name: "invalid after the re-asks: the next model", a: [{ text: "no" }, { text: "still no" }], b: [{ ok: { queue: "billing" } }], expect: { output: { queue: "billing" } }, recordCode: null, outcomes: ["invalid_output", "invalid_output", "ok"] },
  { name: "every model fails: E_ALL_MODELS_FAILED", a: [{ fail: "server" }, { fail: "server" }], b: [{ fail: "bad_request" }], expect: { code: "E_ALL_MODELS_FAILED" }, outcomes: ["transport_error", "transport_error", "transport_error"], waits: 1 },
  { name: "never valid: E_OUTPUT_INVALID", meta: { chain: ["a:m1"], reask: 0, attempts: 1 }, a: [{ text: "no" }], expect: { code: "E_OUTPUT_INVALID" }, outcomes: ["invalid_output"] },
  { name: "the declared fallback value, keeping the failure's code", meta: { chain: ["a:m1"], attempts: 1, fallback: { queue: "technical" } }, a: [{ fail: "bad_request" }], expect: { output: { queue: "technical" } }, recordCode: "E_ALL_MODELS_FAILED", outcomes: ["transport_error"] },
  { name: "no reachable provider: E_NO_PROVIDER", meta: { chain: ["c:m3"] }, a: [], expect: { code: "E_NO_PROVIDER" }, outcomes: ["not_configured"] },
];

const streams: Case[] = [
  { name: "answers at once", a: [{ ok: { queue: "billing" } }], expect: { output: { queue: "billing" } }, recordCode: null, outcomes: ["ok"] },
  { name: "fails before content: retried like a call", a: [{ fail: "server" }, { ok: { queue: "technical" } }], expect: { output: { queue: "technical" } }, recordCode: null, outcomes: ["transport_error", "ok"], waits: 1 },
  { name: "breaks after content: final, E_STREAM_FAILED, no other model", a: [{ breakAfter: '{"queue":' }], b: [{ ok: { queue: "billing" } }], expect: { code: "E_STREAM_FAILED" }, outcomes: ["transport_error"] },
  { name: "invalid after content: no re-ask, no other model", a: [{ text: '{"queue":"sales"}' }], b: [{ ok: { queue: "billing" } }], expect: { code: "E_OUTPUT_INVALID" }, outcomes: ["invalid_output"] },
  { name: "invalid after content, with a fallback value", meta: { fallback: { queue: "technical" } }, a: [{ text: "no" }], expect: { output: { queue: "technical" } }, recordCode: "E_OUTPUT_INVALID", outcomes: ["invalid_output"] },
];

describe.each([
  ["call", calls],
  ["stream", streams],
] as const)("the chain driver, a %s", (kind, cases) => {
  it.each(cases)("$name", async (c) => {
    const { result, records, waits } = run(kind, c);
    const settled = await result.then((output) => ({ output }), (e: unknown) => ({ error: e }));
    if ("code" in c.expect) {
      expect("error" in settled && settled.error).toBeInstanceOf(PromptError);
      expect(("error" in settled && (settled.error as PromptError)).code).toBe(c.expect.code);
    } else {
      expect(settled).toEqual({ output: c.expect.output });
    }
    expect(records).toHaveLength(1); // the record writer finishes exactly once
    expect(records[0]!.errorCode).toBe("code" in c.expect ? c.expect.code : c.recordCode);
    expect(records[0]!.attempts.map((x) => x.outcome)).toEqual(c.outcomes);
    expect(waits).toHaveLength(c.waits ?? 0);
  });
});

describe("the record writer", () => {
  it("writes the record of an invalid input once, with E_INPUT_INVALID, and sends nothing", async () => {
    const records: CallRecord[] = [];
    const a = scripted("a", []);
    const rt = new Runtime({ env: {}, sinks: [{ write: (r) => void records.push(r) }], providers: { a: { adapter: a } } });
    const fn = definePrompt<{ q: string }, z.output<typeof Output>>(meta({ chain: ["a:m1"] }), { InputSchema: z.object({ q: z.string() }), OutputSchema: Output }, (i): Message[] => [{ role: "user", content: i.q }]);
    await expect(fn({ q: 3 } as unknown as { q: string }, { runtime: rt })).rejects.toMatchObject({ code: "E_INPUT_INVALID" });
    expect(records.map((r) => r.errorCode)).toEqual(["E_INPUT_INVALID"]);
    expect(a.sent).toEqual([]);
  });
});
