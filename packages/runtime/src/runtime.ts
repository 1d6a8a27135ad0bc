// The runtime: what a generated function's call does. Input → render → for each model of the
// chain: attempts with a per-attempt timeout, backoff and breakers (transport failures), and
// re-asks (invalid output), counted separately → the declared fallback value or a typed
// error. Every call is recorded.
import type { z } from "zod";
import { hasOptionalNonNullable, readOutput } from "./call/output.js";
import { reaskMessages } from "./call/reask.js";
import { MemorySink, newCallId, type AttemptRecord, type CallRecord, type CallSink } from "./call/records.js";
import { emptyRequiredString, sanitize } from "./call/sanitize.js";
import { Channel } from "./call/channel.js";
import { parsePartialJson } from "./call/partial-json.js";
import { AllModelsFailedError, CallAbortedError, ContextOverflowError, InputValidationError, ProviderNotConfiguredError, StreamFailedError } from "./errors.js";
import { fitsWindow } from "./tokens/count.js";
import { contextWindow } from "./tokens/windows.js";
import { createAdapter, providerSettings } from "./providers/index.js";
import { TransportError } from "./providers/transport-error.js";
import type { OutputSpec, ProviderAdapter, ProviderResponse, ProviderSettings } from "./providers/types.js";
import { nextDelay } from "./resilience/backoff.js";
import { ModelBreakers, ModelUnavailableError, type BreakerOptions } from "./resilience/breakers.js";
import type { CallOptions, DeepPartial, JsonSchema, Message, ModelTarget, PromptMeta, PromptStream, StreamEvent, StreamOptions } from "./types.js";

export interface ProviderOverride {
  type?: ProviderSettings["type"];
  apiKey?: string;
  baseURL?: string;
  /** Use this adapter instead of building one (tests, custom providers). */
  adapter?: ProviderAdapter;
}

export interface RuntimeOptions {
  /** Per provider name: settings that win over the config and the environment, or an adapter. */
  providers?: Record<string, ProviderOverride>;
  /** Where keys and base URLs are read from (default process.env). */
  env?: Record<string, string | undefined>;
  breakers?: ModelBreakers | BreakerOptions;
  /** Where call records go, besides the in-memory sink. */
  sinks?: CallSink[];
  /** Context windows, in tokens, by "provider:model" or model: for models the built-in table does not know. */
  contextWindows?: Record<string, number>;
  /** For tests: jitter source and how to wait. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What definePrompt hands the runtime: a generated module's parts, prepared once. */
export interface PreparedPrompt<I, O> {
  meta: PromptMeta;
  input: z.ZodType<I>;
  output: z.ZodType<O>;
  render(input: I): Message[];
  targets: readonly ModelTarget[];
  strictSchema: JsonSchema | null;
}

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
      strictSpec: outputSpec(meta, prompt.strictSchema),
      plainSpec: outputSpec(meta, null),
      nullsToDrop: !!meta.output.schema && hasOptionalNonNullable(meta.output.schema),
    };
    plans.set(prompt, plan);
  }
  return plan;
}

/** Sanitises, validates and renders the input. Throws InputValidationError; sends nothing. */
export function prepareInput<I, O>(prompt: PreparedPrompt<I, O>, input: I): { messages: Message[] } {
  const clean = sanitize(input);
  const parsed = prompt.input.safeParse(clean);
  if (!parsed.success) throw new InputValidationError(prompt.meta, parsed.error);
  const empty = emptyRequiredString(prompt.input, parsed.data);
  if (empty) throw new InputValidationError(prompt.meta, { path: empty, message: "required text is empty (after removing invisible characters)" });
  return { messages: prompt.render(parsed.data) };
}

type ChainFailure = "E_ALL_MODELS_FAILED" | "E_OUTPUT_INVALID" | "E_DEADLINE";

/** One call's state, shared by call() and stream(). */
interface CallRun<I, O> {
  prompt: PreparedPrompt<I, O>;
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

export interface CallResult<O> {
  output: O;
  record: CallRecord;
}

export class Runtime {
  /** The latest call records (default sink). */
  readonly memory = new MemorySink();
  readonly breakers: ModelBreakers;
  private readonly sinks: CallSink[];
  private readonly adapters = new Map<string, ProviderAdapter | null>();

  constructor(private readonly options: RuntimeOptions = {}) {
    this.breakers = options.breakers instanceof ModelBreakers ? options.breakers : new ModelBreakers(options.breakers);
    this.sinks = [this.memory, ...(options.sinks ?? [])];
  }

  async call<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: CallOptions = {}): Promise<CallResult<O>> {
    const run = this.begin(prompt, input, options);
    const { meta, record, attempts, retry, plan, deadlineAt, messages, done, aborted } = run;
    let failure: ChainFailure = "E_ALL_MODELS_FAILED";

    chain: for await (const { index, target, adapter, strictSent } of this.reachableModels(run)) {
      let conversation = messages;
      let reasks = 0;
      for (let attempt = 1; attempt <= retry.attempts; ) {
        const remaining = run.timeLeft(options.signal);
        if (remaining <= 0) {
          failure = "E_DEADLINE";
          break chain;
        }
        const timeout = AbortSignal.timeout(Math.min(retry.timeoutMs, remaining));
        const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
        const t0 = performance.now();
        let response: ProviderResponse;
        try {
          response = await this.breakers.execute(target.provider, target.model, () =>
            adapter.complete({ model: target.model, messages: conversation, maxTokens: meta.model.maxTokens, temperature: meta.model.temperature, topP: meta.model.topP, stop: meta.model.stop, output: strictSent ? plan.strictSpec : plan.plainSpec, signal }));
        } catch (e) {
          const next = await this.afterFailure(e, { target, attempt, reask: reasks > 0, t0, attempts, retry, deadlineAt, signal: options.signal });
          if (next === "aborted") aborted();
          if (next === "next-model") continue chain;
          attempt++;
          continue;
        }
        record.inputTokens += response.usage.inputTokens;
        record.outputTokens += response.usage.outputTokens;
        const result = readOutput(response, meta, prompt.output, strictSent, plan.nullsToDrop);
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
  stream<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: StreamOptions = {}): PromptStream<O> {
    const channel = new Channel<StreamEvent<O>>();
    let recordOf!: (r: CallRecord) => void;
    const record = new Promise<CallRecord>((resolve) => (recordOf = resolve));
    const result = this.runStream(prompt, input, options, channel, recordOf);
    result.then(() => channel.end(), (e: unknown) => channel.end(e));
    result.catch(() => {}); // the caller may only iterate; the error reaches them there
    return { [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](), result, record };
  }

  private async runStream<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: StreamOptions, channel: Channel<StreamEvent<O>>, recordOf: (r: CallRecord) => void): Promise<O> {
    const run = this.begin(prompt, input, options, recordOf);
    const { meta, record, attempts, retry, plan, deadlineAt, messages, done, aborted, started } = run;
    const firstChunkMs = options.firstChunkTimeoutMs ?? retry.timeoutMs;
    const chunkMs = options.chunkTimeoutMs ?? retry.timeoutMs;
    let failure: ChainFailure = "E_ALL_MODELS_FAILED";

    chain: for await (const { index, target, adapter, strictSent, anthropic } of this.reachableModels(run)) {
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
        const result = readOutput(response, meta, prompt.output, strictSent, plan.nullsToDrop);
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
  private begin<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: CallOptions, onDone?: (record: CallRecord) => void): CallRun<I, O> {
    const { meta } = prompt;
    const started = performance.now();
    const record = newRecord(meta);
    const done = (errorCode: string | null): void => {
      record.latencyMs = Math.round(performance.now() - started);
      record.errorCode = errorCode;
      this.deliver(record);
      onDone?.(record);
    };
    let messages: Message[];
    try {
      messages = prepareInput(prompt, input).messages;
    } catch (e) {
      done("E_INPUT_INVALID");
      throw e;
    }
    const retry = meta.policies.retry;
    const deadlineMs = options.deadlineMs ?? retry.deadlineMs;
    const deadlineAt = deadlineMs === null || deadlineMs === undefined ? Infinity : Date.now() + deadlineMs;
    const aborted = (): never => {
      done("E_ABORTED");
      throw new CallAbortedError(meta, record.attempts, record.callId);
    };
    return {
      prompt, meta, record, messages, retry, done, started, configured: 0, overflowed: 0,
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
   * The chain's models whose provider is configured, each made ready (the SDK loaded) before
   * its first attempt's timer starts; the others are recorded as not configured.
   */
  private async *reachableModels<I, O>(run: CallRun<I, O>): AsyncGenerator<{ index: number; target: ModelTarget; adapter: ProviderAdapter; strictSent: boolean; anthropic: boolean }> {
    for (const [index, target] of run.prompt.targets.entries()) {
      const adapter = this.adapterFor(target.provider, run.meta);
      if (!adapter) {
        run.attempts.push(attemptRecord(target, "not_configured", 0));
        continue;
      }
      run.configured++;
      const type = run.meta.model.providers[target.provider]?.type;
      const fit = await fitsWindow(run.messages, run.meta.model.maxTokens, contextWindow(target.provider, target.model, this.options.contextWindows), type === "openai" ? "openai" : "other");
      if (!fit.fits) {
        run.overflowed++;
        run.attempts.push({ ...attemptRecord(target, "context_overflow", 0), inputTokens: fit.inputTokens });
        continue;
      }
      await adapter.ready?.();
      // Anthropic gets the plain schema as a tool; OpenAI-style providers the strict variant when there is one.
      const anthropic = type === "anthropic";
      yield { index, target, adapter, anthropic, strictSent: !anthropic && run.prompt.strictSchema !== null };
    }
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
      return run.prompt.output.parse(meta.policies.fallback.value);
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

function newRecord(meta: PromptMeta): CallRecord {
  return {
    callId: newCallId(), startedAt: new Date().toISOString(), promptId: meta.id, version: meta.version, hash: meta.hash, tier: meta.model.tier,
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

let current: Runtime | undefined;

/** Sets the runtime every generated function uses unless a call passes its own. */
export function configureRuntime(options: RuntimeOptions = {}): Runtime {
  current = new Runtime(options);
  return current;
}

/** The runtime generated functions use by default: configured, or built from the environment. */
export function getRuntime(): Runtime {
  return (current ??= new Runtime());
}
