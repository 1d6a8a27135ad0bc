// The call loop: what a generated function's call does. Input → render → for each model of the
// chain: attempts with a per-attempt timeout, backoff and breakers (transport failures), and
// re-asks (invalid output), counted separately → the declared fallback value or a typed
// error. Every call is recorded. Loaded on a runtime's first call (see runtime.ts).
import { hasOptionalNonNullable, readOutput } from "./output.js";
import { reaskMessages } from "./reask.js";
import { newCallId, type AttemptRecord, type CallRecord, type CallSink } from "./records.js";
import { prepareInput, schemasOf, strictSchemaOf, type PreparedPrompt, type PromptSchemas } from "./prepare.js";
import { Channel } from "./channel.js";
import { parsePartialJson } from "./partial-json.js";
import { AllModelsFailedError, CallAbortedError, ContextOverflowError, ProviderNotConfiguredError, StreamFailedError } from "../errors.js";
import { fitsWindow, upperBound } from "../tokens/count.js";
import { contextWindow } from "../tokens/windows.js";
import { createAdapter, providerSettings } from "../providers/index.js";
import { TransportError } from "../providers/transport-error.js";
import type { OutputSpec, ProviderAdapter, ProviderResponse } from "../providers/types.js";
import { nextDelay } from "../resilience/backoff.js";
import { ModelUnavailableError, type ModelBreakers } from "../resilience/breakers.js";
import type { CallResult, RuntimeOptions } from "../runtime.js";
import type { CallOptions, DeepPartial, JsonSchema, Message, ModelTarget, PromptMeta, PromptStream, StreamEvent, StreamOptions } from "../types.js";

/** What a prompt sends and reads, worked out once per prompt instead of once per call. */
interface PromptPlan {
  strictSpec: OutputSpec;
  plainSpec: OutputSpec;
  nullsToDrop: boolean;
}
const plans = new WeakMap<PreparedPrompt<unknown, unknown>, PromptPlan>();

function planOf(prompt: PreparedPrompt<unknown, unknown>): PromptPlan {
  let plan = plans.get(prompt);
  if (!plan) {
    const { meta } = prompt;
    plan = {
      strictSpec: outputSpec(meta, strictSchemaOf(prompt)),
      plainSpec: outputSpec(meta, null),
      nullsToDrop: !!meta.output.schema && hasOptionalNonNullable(meta.output.schema),
    };
    plans.set(prompt, plan);
  }
  return plan;
}

/** A model of the chain that can take the call, and how it is sent. */
interface Reachable {
  index: number;
  target: ModelTarget;
  adapter: ProviderAdapter;
  strictSent: boolean;
  anthropic: boolean;
}

type ChainFailure = "E_ALL_MODELS_FAILED" | "E_OUTPUT_INVALID" | "E_DEADLINE";

/** One call's state, shared by call() and stream(). */
interface CallRun<I, O> {
  prompt: PreparedPrompt<I, O>;
  schemas: PromptSchemas<I, O>;
  meta: PromptMeta;
  record: CallRecord;
  attempts: AttemptRecord[];
  messages: Message[];
  retry: PromptMeta["policies"]["retry"];
  plan: PromptPlan;
  deadlineAt: number;
  /** performance.now() when the call began. */
  started: number;
  /** Models of the chain with a configured provider, so far. */
  configured: number;
  /** Of those, how many could not hold the request. */
  overflowed: number;
  done(errorCode: string | null): void;
  aborted(): never;
  /** Before each attempt: ends the call if the caller aborted, else the time left before the deadline. */
  timeLeft(signal: AbortSignal | undefined): number;
}

/** The call loop of one Runtime, loaded on its first call. */
export class CallLoop {
  private readonly adapters = new Map<string, ProviderAdapter | null>();
  private readonly windows = new WeakMap<PreparedPrompt<unknown, unknown>, (number | undefined)[]>();

  constructor(private readonly options: RuntimeOptions, private readonly breakers: ModelBreakers, private readonly sinks: readonly CallSink[]) {}

  async call<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: CallOptions = {}, start: CallStart = callStart()): Promise<CallResult<O>> {
    const run = this.begin(prompt, await schemasOf(prompt), input, options, start);
    const { meta, record, attempts, retry, plan, deadlineAt, messages, done, aborted } = run;
    let failure: ChainFailure = "E_ALL_MODELS_FAILED";

    chain: for (let i = 0; i < prompt.targets.length; i++) {
      const next = this.reach(run, i);
      const reached = next instanceof Promise ? await next : next;
      if (!reached) continue;
      const { index, target, adapter, strictSent } = reached;
      let conversation = messages;
      let reasks = 0;
      for (let attempt = 1; attempt <= retry.attempts; ) {
        const remaining = run.timeLeft(options.signal);
        if (remaining <= 0) {
          failure = "E_DEADLINE";
          break chain;
        }
        const limit = attemptSignal(Math.min(retry.timeoutMs, remaining), options.signal);
        const t0 = performance.now();
        let response: ProviderResponse;
        try {
          response = await this.breakers.execute(target.provider, target.model, () =>
            adapter.complete({ model: target.model, messages: conversation, maxTokens: meta.model.maxTokens, temperature: meta.model.temperature, topP: meta.model.topP, stop: meta.model.stop, output: strictSent ? plan.strictSpec : plan.plainSpec, signal: limit.signal }));
        } catch (e) {
          const next = await this.afterFailure(e, { target, attempt, reask: reasks > 0, t0, attempts, retry, deadlineAt, signal: options.signal });
          if (next === "aborted") aborted();
          if (next === "next-model") continue chain;
          attempt++;
          continue;
        } finally {
          limit.dispose();
        }
        record.inputTokens += response.usage.inputTokens;
        record.outputTokens += response.usage.outputTokens;
        const result = readOutput(response, meta, run.schemas.OutputSchema, strictSent, plan.nullsToDrop);
        if (result.ok) {
          attempts.push({ ...attemptRecord(target, "ok", performance.now() - t0, reasks > 0), inputTokens: response.usage.inputTokens, outputTokens: response.usage.outputTokens });
          Object.assign(record, { answeredModel: response.model, provider: target.provider, fallback: index > 0 ? "model" : null, valid: true });
          done(null);
          return { output: result.value, record };
        }
        attempts.push({ ...attemptRecord(target, "invalid_output", performance.now() - t0, reasks > 0), inputTokens: response.usage.inputTokens, outputTokens: response.usage.outputTokens, issues: result.problem });
        failure = "E_OUTPUT_INVALID";
        if (reasks >= meta.policies.reask) continue chain;
        // A re-ask is not a transport retry: it does not use up an attempt.
        reasks++;
        record.reasks++;
        conversation = [...conversation, ...reaskMessages(response.text, result.problem, meta)];
      }
    }

    return { output: this.endOfChain(run, failure), record };
  }

  /**
   * Streams a call. Before the first content chunk it behaves like call(): retries, breakers
   * and moving along the chain. Once content has been sent, a failure is final (no other
   * model can continue a stream the caller has started to show) and an invalid output is not
   * re-asked; the declared fallback value still applies to an invalid output.
   */
  stream<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: StreamOptions = {}, start: CallStart = callStart()): PromptStream<O> {
    const channel = new Channel<StreamEvent<O>>();
    let recordOf!: (r: CallRecord) => void;
    const record = new Promise<CallRecord>((resolve) => (recordOf = resolve));
    const result = this.runStream(prompt, input, options, start, channel, recordOf);
    result.then(() => channel.end(), (e: unknown) => channel.end(e));
    result.catch(() => {}); // the caller may only iterate; the error reaches them there
    return { [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](), result, record };
  }

  private async runStream<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: StreamOptions, start: CallStart, channel: Channel<StreamEvent<O>>, recordOf: (r: CallRecord) => void): Promise<O> {
    const run = this.begin(prompt, await schemasOf(prompt), input, options, start, recordOf);
    const { meta, record, attempts, retry, plan, deadlineAt, messages, done, aborted, started } = run;
    const firstChunkMs = options.firstChunkTimeoutMs ?? retry.timeoutMs;
    const chunkMs = options.chunkTimeoutMs ?? retry.timeoutMs;
    let failure: ChainFailure = "E_ALL_MODELS_FAILED";

    chain: for (let i = 0; i < prompt.targets.length; i++) {
      const next = this.reach(run, i);
      const reached = next instanceof Promise ? await next : next;
      if (!reached) continue;
      const { index, target, adapter, strictSent, anthropic } = reached;
      const wrappedOnWire = meta.output.wrapped && (strictSent || anthropic);
      for (let attempt = 1; attempt <= retry.attempts; ) {
        const remaining = run.timeLeft(options.signal);
        if (remaining <= 0) {
          failure = "E_DEADLINE";
          break chain;
        }
        // One controller per attempt: the caller's abort, the deadline, and the chunk watchdog all end it.
        const controller = new AbortController();
        const stop = (reason: unknown) => controller.abort(reason);
        const onCallerAbort = () => stop(options.signal!.reason);
        options.signal?.addEventListener("abort", onCallerAbort, { once: true });
        const timeout = (ms: number, what: string) => setTimeout(() => stop(new DOMException(`${what} timed out`, "TimeoutError")), ms);
        // setTimeout clamps Infinity to 1 ms: without a deadline there is no deadline timer.
        const deadlineTimer = Number.isFinite(remaining) ? timeout(remaining, "the call") : undefined;
        let watchdog = timeout(Math.min(firstChunkMs, remaining), "the first chunk");
        const t0 = performance.now();
        let contentStarted = false;
        let text = "";
        let lastPartial = "";
        let response: ProviderResponse;
        try {
          const stream = await this.breakers.execute(target.provider, target.model, () =>
            adapter.stream({ model: target.model, messages, maxTokens: meta.model.maxTokens, temperature: meta.model.temperature, topP: meta.model.topP, stop: meta.model.stop, output: strictSent ? plan.strictSpec : plan.plainSpec, signal: controller.signal }));
          for await (const chunk of stream) {
            if (!contentStarted) {
              contentStarted = true;
              record.timeToFirstChunkMs = Math.round(performance.now() - started);
            }
            clearTimeout(watchdog);
            watchdog = timeout(chunkMs, "the next chunk");
            text += chunk.delta;
            if (meta.output.format === "text") {
              channel.push({ type: "text", delta: chunk.delta, text });
            } else {
              const partial = parsePartialJson(text);
              const value = wrappedOnWire ? (partial as { value?: unknown } | undefined)?.value : partial;
              const key = value === undefined ? "" : JSON.stringify(value);
              if (key && key !== lastPartial) {
                lastPartial = key;
                channel.push({ type: "partial", value: value as DeepPartial<O> });
              }
            }
          }
          response = await stream.final();
        } catch (e) {
          if (!contentStarted) {
            const next = await this.afterFailure(e, { target, attempt, reask: false, t0, attempts, retry, deadlineAt, signal: options.signal });
            if (next === "aborted") aborted();
            if (next === "next-model") continue chain;
            attempt++;
            continue;
          }
          const error = e instanceof TransportError ? e : undefined;
          attempts.push({ ...attemptRecord(target, "transport_error", performance.now() - t0), ...(error ? { errorKind: error.kind } : {}) });
          if (options.signal?.aborted || error?.kind === "aborted") aborted();
          done("E_STREAM_FAILED");
          throw new StreamFailedError(meta, error ? error.message.replace(/^[^:]+:[^:]+: /, "") : String(e), attempts, record.callId);
        } finally {
          clearTimeout(watchdog);
          clearTimeout(deadlineTimer);
          options.signal?.removeEventListener("abort", onCallerAbort);
        }
        record.inputTokens += response.usage.inputTokens;
        record.outputTokens += response.usage.outputTokens;
        const result = readOutput(response, meta, run.schemas.OutputSchema, strictSent, plan.nullsToDrop);
        attempts.push({ ...attemptRecord(target, result.ok ? "ok" : "invalid_output", performance.now() - t0), inputTokens: response.usage.inputTokens, outputTokens: response.usage.outputTokens, ...(result.ok ? {} : { issues: result.problem }) });
        if (result.ok) {
          Object.assign(record, { answeredModel: response.model, provider: target.provider, fallback: index > 0 ? "model" : null, valid: true });
          done(null);
          return result.value;
        }
        failure = "E_OUTPUT_INVALID";
        break chain; // content was sent: no re-ask, no other model
      }
    }

    return this.endOfChain(run, failure);
  }

  /** What every call starts with: its record, the validated and rendered input, its deadline. */
  private begin<I, O>(prompt: PreparedPrompt<I, O>, schemas: PromptSchemas<I, O>, input: I, options: CallOptions, start: CallStart, onDone?: (record: CallRecord) => void): CallRun<I, O> {
    const { meta } = prompt;
    const started = start.t0;
    const record = newRecord(meta, start.at);
    const done = (errorCode: string | null): void => {
      record.latencyMs = Math.round(performance.now() - started);
      record.errorCode = errorCode;
      this.deliver(record);
      onDone?.(record);
    };
    let messages: Message[];
    try {
      messages = prepareInput(prompt, schemas, input).messages;
    } catch (e) {
      done("E_INPUT_INVALID");
      throw e;
    }
    const retry = meta.policies.retry;
    const deadlineMs = options.deadlineMs ?? retry.deadlineMs;
    const deadlineAt = deadlineMs === null || deadlineMs === undefined ? Infinity : start.at + deadlineMs;
    const aborted = (): never => {
      done("E_ABORTED");
      throw new CallAbortedError(meta, record.attempts, record.callId);
    };
    return {
      prompt, schemas, meta, record, messages, retry, done, started, configured: 0, overflowed: 0,
      attempts: record.attempts,
      plan: planOf(prompt as PreparedPrompt<unknown, unknown>),
      deadlineAt,
      aborted,
      timeLeft: (signal) => {
        if (signal?.aborted) aborted();
        return deadlineAt - Date.now();
      },
    };
  }

  /**
   * The chain's model at `index` if it can take this call: its provider configured (else
   * recorded as not configured), the request within its window (else recorded as overflow),
   * and its SDK loaded, so that loading does not eat the first attempt's timeout. Synchronous
   * once the SDK is loaded and the size is settled by a bound, as it is on nearly every call.
   */
  private reach<I, O>(run: CallRun<I, O>, index: number): Reachable | null | Promise<Reachable | null> {
    const target = run.prompt.targets[index]!;
    const adapter = this.adapterFor(target.provider, run.meta);
    if (!adapter) {
      run.attempts.push(attemptRecord(target, "not_configured", 0));
      return null;
    }
    run.configured++;
    const type = run.meta.model.providers[target.provider]?.type;
    const anthropic = type === "anthropic";
    // Anthropic gets the plain schema as a tool; OpenAI-style providers the strict variant when there is one.
    const reachable: Reachable = { index, target, adapter, anthropic, strictSent: !anthropic && strictSchemaOf(run.prompt) !== null };
    const window = this.windowOf(run.prompt as PreparedPrompt<unknown, unknown>, index);
    const bounded = window === undefined || upperBound(run.messages) + run.meta.model.maxTokens <= window;
    if (bounded) {
      const ready = adapter.ready?.();
      return ready ? ready.then(() => reachable) : reachable;
    }
    return fitsWindow(run.messages, run.meta.model.maxTokens, window, type === "openai" ? "openai" : "other").then(async (fit) => {
      if (!fit.fits) {
        run.overflowed++;
        run.attempts.push({ ...attemptRecord(target, "context_overflow", 0), inputTokens: fit.inputTokens });
        return null;
      }
      await adapter.ready?.();
      return reachable;
    });
  }

  /** Context windows of a prompt's chain, looked up once per prompt. */
  private windowOf(prompt: PreparedPrompt<unknown, unknown>, index: number): number | undefined {
    let windows = this.windows.get(prompt);
    if (!windows) this.windows.set(prompt, (windows = prompt.targets.map((t) => contextWindow(t.provider, t.model, this.options.contextWindows))));
    return windows[index];
  }

  /** What every call ends with when the chain is spent: no provider, the fallback value, or a typed error. */
  private endOfChain<I, O>(run: CallRun<I, O>, failure: ChainFailure): O {
    const { meta, record, done } = run;
    if (run.configured === 0) {
      done("E_NO_PROVIDER");
      throw new ProviderNotConfiguredError(meta, record.attempts, record.callId);
    }
    // Too large for every model: the caller's input to fix, so no fallback value hides it.
    if (run.overflowed === run.configured) {
      done("E_CONTEXT_OVERFLOW");
      throw new ContextOverflowError(meta, record.attempts, record.callId);
    }
    if (meta.policies.fallback.kind === "value") {
      Object.assign(record, { fallback: "value", valid: true });
      done(failure);
      return run.schemas.OutputSchema.parse(meta.policies.fallback.value);
    }
    done(failure);
    throw new AllModelsFailedError(meta, failure, record.attempts, record.callId);
  }

  /**
   * Records a failed attempt and decides what follows: wait and retry this model, move to the
   * next one (not retryable, attempts spent, or no time left before the deadline), or stop
   * because the caller aborted.
   */
  private async afterFailure(
    e: unknown,
    ctx: { target: ModelTarget; attempt: number; reask: boolean; t0: number; attempts: AttemptRecord[]; retry: PromptMeta["policies"]["retry"]; deadlineAt: number; signal: AbortSignal | undefined },
  ): Promise<"retry" | "next-model" | "aborted"> {
    const { target, retry } = ctx;
    const error = e instanceof TransportError ? e : new TransportError({ kind: "server", message: `adapter failed: ${e instanceof Error ? e.message : String(e)}`, provider: target.provider, model: target.model });
    ctx.attempts.push({ ...attemptRecord(target, error instanceof ModelUnavailableError ? "unavailable" : "transport_error", performance.now() - ctx.t0, ctx.reask), errorKind: error.kind, ...(error.status ? { status: error.status } : {}) });
    if (error.kind === "aborted" || ctx.signal?.aborted) return "aborted";
    if (!error.retryable || ctx.attempt >= retry.attempts) return "next-model";
    const delay = nextDelay(ctx.attempt, retry.backoff, { retryAfterMs: error.retryAfterMs, remainingMs: ctx.deadlineAt - Date.now(), random: this.options.random });
    if (delay === undefined) return "next-model"; // waiting would pass the deadline: try the next model now
    return (await this.wait(delay, ctx.signal)) ? "retry" : "aborted";
  }

  private adapterFor(name: string, meta: PromptMeta): ProviderAdapter | null {
    if (this.adapters.has(name)) return this.adapters.get(name)!;
    const override = this.options.providers?.[name];
    let adapter: ProviderAdapter | null = override?.adapter ?? null;
    if (!adapter) {
      const settings = providerSettings(name, meta.model.providers[name] ?? {}, this.options.env ?? process.env);
      if (override?.type) settings.type = override.type;
      if (override?.apiKey) settings.apiKey = override.apiKey;
      if (override?.baseURL) settings.baseURL = override.baseURL;
      // Reachable: a key, or a server of our own choosing (an OpenAI-compatible base URL, or an override).
      const reachable = !!settings.apiKey || (!!settings.baseURL && (settings.type === "openai-compatible" || !!override?.baseURL));
      adapter = reachable ? createAdapter(settings) : null;
    }
    this.adapters.set(name, adapter);
    return adapter;
  }

  private wait(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.options.sleep) return this.options.sleep(ms, signal).then(() => !signal?.aborted);
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private deliver(record: CallRecord): void {
    for (const sink of this.sinks) {
      // A failing sink must not fail the call it records.
      try {
        const pending = sink.write(record);
        if (pending) pending.catch(() => {});
      } catch {
        /* ignored on purpose */
      }
    }
  }
}

/**
 * One attempt's signal: aborts on the caller's signal or after `ms` (a TimeoutError, as
 * AbortSignal.timeout gives). A plain timer cleared when the attempt ends: AbortSignal.timeout
 * and AbortSignal.any cost several microseconds per call in weak references and timers left behind.
 */
function attemptSignal(ms: number, caller: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (caller?.aborted) controller.abort(caller.reason);
  const onCallerAbort = () => controller.abort(caller!.reason);
  caller?.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException("the attempt timed out", "TimeoutError")), ms);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    },
  };
}

/**
 * When a call began, taken before anything it waits for (loading the engine and its
 * validators on a first call), so its deadline and latency count that wait too.
 */
export interface CallStart {
  /** Date.now() */
  at: number;
  /** performance.now() */
  t0: number;
}

export const callStart = (): CallStart => ({ at: Date.now(), t0: performance.now() });

function newRecord(meta: PromptMeta, at: number): CallRecord {
  return {
    callId: newCallId(), startedAt: new Date(at).toISOString(), promptId: meta.id, version: meta.version, hash: meta.hash, tier: meta.model.tier,
    requestedModel: meta.model.chain[0] ?? "", answeredModel: null, provider: null, attempts: [], reasks: 0, fallback: null,
    inputTokens: 0, outputTokens: 0, latencyMs: 0, timeToFirstChunkMs: null, valid: false, errorCode: null,
  };
}

function attemptRecord(target: ModelTarget, outcome: AttemptRecord["outcome"], latencyMs: number, reask = false): AttemptRecord {
  return { provider: target.provider, model: target.model, outcome, reask, latencyMs: Math.round(latencyMs), inputTokens: 0, outputTokens: 0 };
}

function outputSpec(meta: PromptMeta, strictSchema: JsonSchema | null): OutputSpec {
  return meta.output.format === "json" && meta.output.schema
    ? { format: "json" as const, name: meta.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(-64), schema: meta.output.schema, strictSchema, wrapped: meta.output.wrapped }
    : { format: "text" as const };
}
