// The call loop: what a generated function's call does. Input → render → for each model of the
// chain: attempts with a per-attempt timeout, backoff and breakers (transport failures), and
// re-asks (invalid output), counted separately → the declared fallback value or a typed
// error. Every call is recorded. Loaded on a runtime's first call (see runtime.ts).
import { hasOptionalNonNullable, readOutput } from "./output.js";
import { reaskMessages } from "./reask.js";
import { newCallId, type AttemptRecord, type CallRecord, type CallSink } from "./records.js";
import { prepareInput, schemasOf, strictSchemaOf, type PreparedPrompt, type PromptSchemas } from "./prepare.js";
import { budgetFor, failedAttemptNanos, reserve, settle, worstCaseNanos, type CallBudget } from "../budget/budgets.js";
import { cacheScope, exactKey, scopeKey } from "../cache/key.js";
import { inputText, LexicalEmbedder, SemanticIndex } from "../cache/semantic.js";
import { costUsd, priceOf, validatePrices, type ModelPrice } from "../cost/prices.js";
import { MemoryStore } from "../store/memory.js";
import { toNanos, type Store } from "../store/types.js";
import { Channel } from "./channel.js";
import { parsePartialJson } from "./partial-json.js";
import { AllModelsFailedError, BudgetExceededError, CallAbortedError, ContextOverflowError, PackageMissingError, ProviderNotConfiguredError, StoreUnavailableError, StreamFailedError } from "../errors.js";
import { countOpenAI, fitsWindow, upperBound } from "../tokens/count.js";
import { contextWindow } from "../tokens/windows.js";
import { createAdapter, localServerSettings, providerSettings } from "../providers/index.js";
import { TransportError } from "../providers/transport-error.js";
import { MissingPackageError } from "../optional-package.js";
import { fromWire, outputName } from "../wire.js";
import { callStart, type CallStart } from "./call-start.js";
import type { OutputSpec, ProviderAdapter, ProviderResponse } from "../providers/types.js";
import { retryDecision } from "../resilience/retry-decision.js";
import { mayHaveBeenBilled, ModelUnavailableError, type ModelBreakers } from "../resilience/breakers.js";
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

/** What an attempt may use: the time left, the model's price, the nano-dollars reserved for it. */
interface Attempt {
  remaining: number;
  price: ModelPrice | undefined;
  reserved: number;
}

/** A prompt's cache scope: everything in its key but the input. */
interface Scope {
  scope: string;
  semanticKey: string;
}

/** What a failed attempt is taken to have cost (see mayHaveBeenBilled and failedAttemptNanos). */
function lostNanos(e: unknown, price: ModelPrice | undefined, messages: readonly Message[], overhead: number): number {
  return mayHaveBeenBilled(e) ? failedAttemptNanos(price, upperBound(messages) + overhead) : 0;
}

/** A chain model's price and context window, and what its requests carry besides the messages (measured on first use). */
interface TargetFacts {
  price: ModelPrice | undefined;
  window: number | undefined;
  overhead?: number;
}

/** A model of the chain that can take the call, and how it is sent. */
interface Reachable {
  index: number;
  target: ModelTarget;
  adapter: ProviderAdapter;
  strictSent: boolean;
  anthropic: boolean;
  /** Input tokens the request carries besides the messages (schema, tool, tool prompt), bounded from above. */
  overhead: number;
}

type ChainFailure = "E_ALL_MODELS_FAILED" | "E_OUTPUT_INVALID" | "E_DEADLINE";

/** One call's state, shared by call() and stream(). */
interface CallRun<I, O> {
  prompt: PreparedPrompt<I, O>;
  /** The response cache for this call, when the prompt declares one and the call does not bypass it. */
  cache: { key: string; scope: Scope; ttlMs: number; semantic: { threshold: number } | null; input: I; vector?: Float32Array } | null;
  /** The budgets this call is charged to, when the prompt declares any. */
  budget: CallBudget | null;
  /** Why the last reservation was refused. */
  overBudget?: { key: string; limitUsd: number; spentUsd: number; error?: unknown };
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
  /** What this runtime knows of each model of a prompt's chain, worked out once per prompt. */
  private readonly targetFacts = new WeakMap<PreparedPrompt<unknown, unknown>, TargetFacts[]>();

  private readonly store: Store;
  private readonly scopes = new WeakMap<PreparedPrompt<unknown, unknown>, Scope>();
  private readonly semantic: SemanticIndex;

  /** promptc's local server, when every call goes there (`localServer` or PROMPTC_LOCAL_URL). */
  private readonly local: string | undefined;

  /** `prices`: the runtime's own, already checked. */
  constructor(private readonly options: RuntimeOptions, private readonly breakers: ModelBreakers, private readonly sinks: readonly CallSink[], private readonly prices: Record<string, ModelPrice> | undefined) {
    this.store = options.store ?? new MemoryStore();
    this.semantic = new SemanticIndex(this.store, options.embedder ?? new LexicalEmbedder());
    this.local = localServerURL(options.localServer ?? (options.env ?? process.env)["PROMPTC_LOCAL_URL"]);
  }

  async call<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: CallOptions = {}, start: CallStart = callStart()): Promise<CallResult<O>> {
    const run = this.begin(prompt, await schemasOf(prompt), input, options, start, true);
    const { meta, record, attempts, retry, plan, deadlineAt, messages, done, aborted } = run;
    let failure: ChainFailure = "E_ALL_MODELS_FAILED";

    const cached = run.cache && options.cache !== "refresh" ? await this.cached(run) : undefined;
    if (cached) {
      Object.assign(record, { cache: cached.kind, valid: true });
      done(null);
      return { output: cached.output, record };
    }

    chain: for (let i = 0; i < prompt.targets.length; i++) {
      const next = this.reach(run, i);
      const reached = next instanceof Promise ? await next : next;
      if (!reached) continue;
      const { index, target, adapter, strictSent, overhead } = reached;
      let conversation = messages;
      let reasks = 0;
      for (let attempt = 1; attempt <= retry.attempts; ) {
        const next = this.beforeAttempt(run, index, target, conversation, overhead, options.signal);
        const ready = next instanceof Promise ? await next : next;
        if (ready === "deadline") {
          failure = "E_DEADLINE";
          break chain;
        }
        if (ready === "over-budget") return { output: this.overBudget(run), record };
        const { remaining, price, reserved } = ready;
        const timeoutMs = Math.min(retry.timeoutMs, remaining);
        // Our adapters keep to timeoutMs themselves; a signal is made only to pass on the caller's abort.
        const limit = adapter.enforcesTimeout ? (options.signal ? attemptSignal(null, options.signal) : NO_SIGNAL) : attemptSignal(timeoutMs, options.signal);
        const t0 = performance.now();
        let response: ProviderResponse;
        try {
          response = await this.breakers.execute(target.provider, target.model, () =>
            adapter.complete({ model: target.model, messages: conversation, maxTokens: meta.model.maxTokens, temperature: meta.model.temperature, topP: meta.model.topP, stop: meta.model.stop, output: strictSent ? plan.strictSpec : plan.plainSpec, signal: limit.signal, timeoutMs }));
        } catch (e) {
          const lost = lostNanos(e, price, conversation, overhead);
          if (run.budget) await this.settle(run, reserved, lost);
          const next = await this.afterFailure(e, { target, attempt, reask: reasks > 0, t0, attempts, retry, deadlineAt, signal: options.signal });
          this.chargeFailed(run, price, lost);
          if (next === "aborted") aborted();
          if (next === "next-model") continue chain;
          attempt++;
          continue;
        } finally {
          limit.dispose();
        }
        const { cost, tokens } = this.charge(run, price, response);
        if (run.budget) await this.settle(run, reserved, cost === null ? 0 : toNanos(cost));
        const result = readOutput(response, meta, run.schemas.OutputSchema, strictSent, plan.nullsToDrop);
        if (result.ok) {
          attempts.push({ ...attemptRecord(target, "ok", performance.now() - t0, reasks > 0), ...tokens, costUsd: cost });
          Object.assign(record, { answeredModel: response.model, provider: target.provider, fallback: index > 0 ? "model" : null, valid: true });
          if (run.cache) this.remember(run, result.value);
          done(null);
          return { output: result.value, record };
        }
        attempts.push({ ...attemptRecord(target, "invalid_output", performance.now() - t0, reasks > 0), ...tokens, costUsd: cost, issues: result.problem });
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
    const run = this.begin(prompt, await schemasOf(prompt), input, options, start, false, recordOf);
    const { meta, record, attempts, retry, plan, deadlineAt, messages, done, aborted, started } = run;
    const firstChunkMs = options.firstChunkTimeoutMs ?? retry.timeoutMs;
    const chunkMs = options.chunkTimeoutMs ?? retry.timeoutMs;
    let failure: ChainFailure = "E_ALL_MODELS_FAILED";

    chain: for (let i = 0; i < prompt.targets.length; i++) {
      const next = this.reach(run, i);
      const reached = next instanceof Promise ? await next : next;
      if (!reached) continue;
      const { index, target, adapter, strictSent, overhead } = reached;
      const wrappedOnWire = meta.output.wrapped;
      for (let attempt = 1; attempt <= retry.attempts; ) {
        const next = this.beforeAttempt(run, index, target, messages, overhead, options.signal);
        const ready = next instanceof Promise ? await next : next;
        if (ready === "deadline") {
          failure = "E_DEADLINE";
          break chain;
        }
        if (ready === "over-budget") return this.overBudget(run);
        const { remaining, price, reserved } = ready;
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
              const value = fromWire(partial, wrappedOnWire);
              const key = value === undefined ? "" : JSON.stringify(value);
              if (key && key !== lastPartial) {
                lastPartial = key;
                channel.push({ type: "partial", value: value as DeepPartial<O> });
              }
            }
          }
          response = await stream.final();
        } catch (e) {
          const lost = contentStarted ? reserved : lostNanos(e, price, messages, overhead);
          if (run.budget) await this.settle(run, reserved, lost);
          if (!contentStarted) {
            const next = await this.afterFailure(e, { target, attempt, reask: false, t0, attempts, retry, deadlineAt, signal: options.signal });
            this.chargeFailed(run, price, lost);
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
        const { cost, tokens } = this.charge(run, price, response);
        if (run.budget) await this.settle(run, reserved, cost === null ? 0 : toNanos(cost));
        const result = readOutput(response, meta, run.schemas.OutputSchema, strictSent, plan.nullsToDrop);
        attempts.push({ ...attemptRecord(target, result.ok ? "ok" : "invalid_output", performance.now() - t0), ...tokens, costUsd: cost, ...(result.ok ? {} : { issues: result.problem }) });
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
  /** `cacheable`: whether this kind of call reads and writes the response cache (streams do not). */
  private begin<I, O>(prompt: PreparedPrompt<I, O>, schemas: PromptSchemas<I, O>, input: I, options: CallOptions, start: CallStart, cacheable: boolean, onDone?: (record: CallRecord) => void): CallRun<I, O> {
    const { meta } = prompt;
    const started = start.t0;
    const record = newRecord(meta, start.at);
    if (this.local) record.local = true;
    const done = (errorCode: string | null): void => {
      record.latencyMs = Math.round(performance.now() - started);
      record.errorCode = errorCode;
      this.deliver(record);
      onDone?.(record);
    };
    record.user = options.user ?? null;
    record.feature = options.feature ?? meta.policies.budget?.feature ?? null;
    let prepared: { messages: Message[]; input: I };
    try {
      prepared = prepareInput(prompt, schemas, input);
    } catch (e) {
      done("E_INPUT_INVALID");
      throw e;
    }
    const { messages } = prepared;
    const retry = meta.policies.retry;
    const deadlineMs = options.deadlineMs ?? retry.deadlineMs;
    const deadlineAt = deadlineMs === null || deadlineMs === undefined ? Infinity : start.at + deadlineMs;
    const aborted = (): never => {
      done("E_ABORTED");
      throw new CallAbortedError(meta, record.attempts, record.callId);
    };
    const cachePolicy = cacheable ? meta.policies.cache : null;
    const scope = cachePolicy && options.cache !== "bypass" ? this.scopeOf(prompt as PreparedPrompt<unknown, unknown>) : null;
    return {
      prompt, schemas, meta, record, messages, retry, done, started, configured: 0, overflowed: 0,
      cache: cachePolicy && scope ? { key: exactKey(scope.scope, prepared.input), scope, ttlMs: cachePolicy.ttlMs, semantic: cachePolicy.semantic, input: prepared.input } : null,
      budget: budgetFor(meta, options),
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
    const strictSent = !anthropic && strictSchemaOf(run.prompt) !== null;
    const facts = this.factsOf(run.prompt as PreparedPrompt<unknown, unknown>)[index]!;
    const overhead = (facts.overhead ??= adapter.inputOverheadBound?.(strictSent ? run.plan.strictSpec : run.plan.plainSpec) ?? 0);
    const reachable: Reachable = { index, target, adapter, anthropic, strictSent, overhead };
    const { window } = facts;
    const bounded = window === undefined || upperBound(run.messages) + overhead + run.meta.model.maxTokens <= window;
    if (bounded) {
      const ready = adapter.ready?.();
      return ready ? ready.then(() => reachable, (e: unknown) => this.notLoaded(run, target, e)) : reachable;
    }
    return fitsWindow(run.messages, overhead, run.meta.model.maxTokens, window, type === "openai" ? "openai" : "other").then(async (fit) => {
      if (!fit.fits) {
        run.overflowed++;
        run.attempts.push({ ...attemptRecord(target, "context_overflow", 0), inputTokens: fit.inputTokens });
        return null;
      }
      try {
        await adapter.ready?.();
      } catch (e) {
        return this.notLoaded(run, target, e);
      }
      return reachable;
    });
  }

  /** The adapter's SDK failed to load: a missing package ends the call with what to install. */
  private notLoaded<I, O>(run: CallRun<I, O>, target: ModelTarget, e: unknown): never {
    if (!(e instanceof MissingPackageError)) throw e;
    run.attempts.push(attemptRecord(target, "not_configured", 0));
    run.done("E_PACKAGE_MISSING");
    throw new PackageMissingError(run.meta, e, run.record.attempts, run.record.callId);
  }

  /**
   * Each chain model's price (the prompt's own from config `prices:`, the runtime's, then the
   * bundled table; nothing on the local server) and context window, once per prompt.
   */
  private factsOf(prompt: PreparedPrompt<unknown, unknown>): TargetFacts[] {
    let facts = this.targetFacts.get(prompt);
    if (!facts) {
      const own = prompt.meta.model.prices ? validatePrices(prompt.meta.model.prices) : undefined;
      const overrides = own || this.prices ? { ...this.prices, ...own } : undefined;
      facts = prompt.targets.map((t) => {
        const price = priceOf(t.provider, t.model, overrides);
        return { price: this.local ? LOCAL_PRICE : price, window: contextWindow(t.provider, t.model, this.options.contextWindows, price) };
      });
      this.targetFacts.set(prompt, facts);
    }
    return facts;
  }


  /**
   * Before each attempt: time left before the deadline (none: "deadline"), the model's price, and
   * the budget reservation (refused: "over-budget"). Synchronous unless there is a budget.
   */
  private beforeAttempt<I, O>(run: CallRun<I, O>, index: number, target: ModelTarget, messages: readonly Message[], overhead: number, signal: AbortSignal | undefined): Attempt | "deadline" | "over-budget" | Promise<Attempt | "deadline" | "over-budget"> {
    if (run.timeLeft(signal) <= 0) return "deadline";
    const { price } = this.factsOf(run.prompt as PreparedPrompt<unknown, unknown>)[index]!;
    if (!run.budget) return { remaining: run.timeLeft(signal), price, reserved: 0 };
    return this.reserve(run, target, price, messages, overhead).then(async (reserved) => {
      if (reserved === null) return "over-budget" as const;
      // Reserving took a round trip to the store: the attempt gets what is left after it.
      const remaining = run.timeLeft(signal);
      if (remaining > 0) return { remaining, price, reserved };
      await this.settle(run, reserved, 0); // nothing will be sent: release the reservation
      return "deadline" as const;
    });
  }

  /** A cached answer: exact first, then semantic when the prompt opts in. A store that fails reads as a miss. */
  private async cached<I, O>(run: CallRun<I, O>): Promise<{ output: O; kind: "exact" | "semantic" } | undefined> {
    const c = run.cache!;
    const valid = (json: string) => {
      // Checked again: an entry may come from another process sharing the store.
      const r = run.schemas.OutputSchema.safeParse(JSON.parse(json));
      return r.success ? r.data : undefined;
    };
    try {
      const hit = await this.store.cacheGet(c.key);
      const exact = hit === undefined ? undefined : valid(hit);
      if (exact !== undefined) return { output: exact, kind: "exact" };
      if (c.semantic) {
        c.vector = await this.semantic.embedder.embed(inputText(c.input));
        const near = await this.semantic.lookup(c.scope.semanticKey, c.vector, c.semantic.threshold);
        const output = near === undefined ? undefined : valid(near);
        if (output !== undefined) return { output, kind: "semantic" };
      }
    } catch {
      /* a miss */
    }
    return undefined;
  }

  /** Stores a valid output for later calls; never delays or fails this one. */
  private remember<I, O>(run: CallRun<I, O>, output: O): void {
    const c = run.cache!;
    const value = JSON.stringify(output);
    this.store.cacheSet(c.key, value, c.ttlMs).catch(() => {});
    if (c.semantic) {
      const semantic = this.semantic;
      (async () => semantic.add(c.scope.semanticKey, c.vector ?? (await semantic.embedder.embed(inputText(c.input))), value, c.ttlMs))().catch(() => {});
    }
  }

  private scopeOf(prompt: PreparedPrompt<unknown, unknown>): Scope {
    let scope = this.scopes.get(prompt);
    if (!scope) {
      // The local server's stand-in replies are cached apart: a real call never reads them.
      const text = this.local ? `${cacheScope(prompt.meta)}\nlocal-server` : cacheScope(prompt.meta);
      this.scopes.set(prompt, (scope = { scope: text, semanticKey: scopeKey(text) }));
    }
    return scope;
  }

  /** A failed attempt's assumed cost (see failedAttemptNanos), on its attempt record and the call's. */
  private chargeFailed<I, O>(run: CallRun<I, O>, price: ModelPrice | undefined, nanos: number): void {
    const last = run.attempts[run.attempts.length - 1];
    if (!price || !last) return;
    last.costUsd = nanos / 1e9;
    run.record.costUsd += nanos / 1e9;
  }

  /** Adds an attempt's cost to the record; null when the model has no price. */
  private charge<I, O>(run: CallRun<I, O>, price: ModelPrice | undefined, response: ProviderResponse): { cost: number | null; tokens: AttemptTokens } {
    const tokens = tokensOf(response);
    run.record.inputTokens += tokens.inputTokens;
    run.record.outputTokens += tokens.outputTokens;
    run.record.cachedInputTokens += tokens.cachedInputTokens ?? 0;
    run.record.cacheWriteTokens += tokens.cacheWriteTokens ?? 0;
    if (!price) return { cost: null, tokens };
    const cost = costUsd(price, response.usage);
    run.record.costUsd += cost;
    return { cost, tokens };
  }

  /**
   * Reserves the attempt's worst case: everything billed as input (the messages bounded from
   * above by their UTF-8 bytes, since a byte-level BPE never has more tokens than bytes, or
   * counted exactly with the OpenAI tokenizer when the bound alone would be refused; plus the
   * schema, tool and tool prompt the request carries), plus max_tokens. Null: refused (recorded).
   */
  private async reserve<I, O>(run: CallRun<I, O>, target: ModelTarget, price: ModelPrice | undefined, messages: readonly Message[], overhead: number): Promise<number | null> {
    const budget = run.budget!;
    const { maxTokens } = run.meta.model;
    const alert = (keys: string[]) => this.alert(run, keys);
    try {
      let nanos = worstCaseNanos(price, upperBound(messages) + overhead, maxTokens);
      let r = await reserve(this.store, budget, nanos, alert);
      if (!r.ok && price && run.meta.model.providers[target.provider]?.type === "openai") {
        nanos = worstCaseNanos(price, (await countOpenAI(messages)) + overhead, maxTokens);
        r = await reserve(this.store, budget, nanos, alert);
      }
      if (r.ok) return r.nanos;
      run.attempts.push(attemptRecord(target, "budget_exceeded", 0));
      run.overBudget = { key: r.key, limitUsd: r.limitUsd, spentUsd: r.spentUsd };
      return null;
    } catch (e) {
      run.attempts.push(attemptRecord(target, "store_unavailable", 0));
      run.overBudget = { key: "store", limitUsd: 0, spentUsd: 0, error: e };
      return null;
    }
  }

  private async settle<I, O>(run: CallRun<I, O>, reservedNanos: number, actualNanos: number): Promise<void> {
    try {
      // The real cost, past the reservation too: the next reservation sees what was billed.
      await settle(this.store, run.budget!, reservedNanos, actualNanos, (keys) => this.alert(run, keys));
    } catch {
      // The store went away after the attempt: the reservation stands, which errs on the safe side.
    }
  }

  private alert<I, O>(run: CallRun<I, O>, keys: string[]): void {
    const { onBudgetAlert } = this.options;
    if (!onBudgetAlert) return;
    for (const key of keys) {
      const charge = run.budget!.charges.find((c) => c.key === key);
      try {
        onBudgetAlert({ key, promptId: run.meta.id, limitUsd: charge ? charge.limitNanos / 1e9 : 0, alertAt: run.budget!.policy.alertAt });
      } catch {
        /* an alert handler's failure must not fail the call */
      }
    }
  }

  /** A refused reservation: the declared fallback value when the prompt says so, else a typed error. */
  private overBudget<I, O>(run: CallRun<I, O>): O {
    const { meta, record, done } = run;
    const refused = run.overBudget!;
    const code = "error" in refused ? "E_STORE_UNAVAILABLE" : "E_BUDGET_EXCEEDED";
    if (meta.policies.fallback.kind === "value" && (code === "E_STORE_UNAVAILABLE" || run.budget?.policy.onExceeded === "fallback")) {
      Object.assign(record, { fallback: "value", valid: true });
      done(code);
      return run.schemas.OutputSchema.parse(meta.policies.fallback.value);
    }
    done(code);
    if ("error" in refused) throw new StoreUnavailableError(meta, refused.error, record.attempts, record.callId);
    throw new BudgetExceededError(meta, refused, record.attempts, record.callId);
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
    const decision = retryDecision(error, { attempt: ctx.attempt, maxAttempts: retry.attempts, backoff: retry.backoff, remainingMs: ctx.deadlineAt - Date.now(), callerAborted: !!ctx.signal?.aborted, random: this.options.random });
    if (decision.action !== "retry") return decision.action;
    return (await this.wait(decision.delayMs, ctx.signal)) ? "retry" : "aborted";
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
      if (this.local) Object.assign(settings, localServerSettings(settings.type, this.local));
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

const NO_SIGNAL = { signal: undefined, dispose() {} };

/**
 * One attempt's signal: aborts on the caller's signal or after `ms` (a TimeoutError, as
 * AbortSignal.timeout gives); with `ms` null, on the caller's signal only. A plain timer cleared
 * when the attempt ends: AbortSignal.timeout and AbortSignal.any cost several microseconds per
 * call in weak references and timers left behind.
 */
function attemptSignal(ms: number | null, caller: AbortSignal | undefined): { signal: AbortSignal | undefined; dispose(): void } {
  // Not the caller's signal itself: the SDKs never remove the listener they add to a signal, so a
  // long-lived one (a server's shutdown signal) would collect one per call.
  const controller = new AbortController();
  if (caller?.aborted) controller.abort(caller.reason);
  const onCallerAbort = () => controller.abort(caller!.reason);
  caller?.addEventListener("abort", onCallerAbort, { once: true });
  const timer = ms === null ? undefined : setTimeout(() => controller.abort(new DOMException("the attempt timed out", "TimeoutError")), ms);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    },
  };
}

/** promptc's local server answers for free. */
const LOCAL_PRICE: ModelPrice = { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0, contextWindow: Number.MAX_SAFE_INTEGER };

/** The local server's URL without a trailing slash, or undefined when unset. */
function localServerURL(url: string | undefined): string | undefined {
  return url ? url.replace(/\/+$/, "") : undefined;
}

function newRecord(meta: PromptMeta, at: number): CallRecord {
  return {
    callId: newCallId(), startedAt: new Date(at).toISOString(), promptId: meta.id, version: meta.version, hash: meta.hash, tier: meta.model.tier,
    requestedModel: meta.model.chain[0] ?? "", answeredModel: null, provider: null, attempts: [], reasks: 0, fallback: null,
    inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 0, cache: null, user: null, feature: null, latencyMs: 0, timeToFirstChunkMs: null, valid: false, errorCode: null,
  };
}

type AttemptTokens = Pick<AttemptRecord, "inputTokens" | "outputTokens" | "cachedInputTokens" | "cacheWriteTokens">;

/** An attempt's tokens for its record: the cache fields only when the provider reported some. */
function tokensOf(response: ProviderResponse): AttemptTokens {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens = 0, cacheWrite1hTokens = 0 } = response.usage;
  const written = cacheWriteTokens + cacheWrite1hTokens;
  return { inputTokens, outputTokens, ...(cachedInputTokens ? { cachedInputTokens } : {}), ...(written ? { cacheWriteTokens: written } : {}) };
}

function attemptRecord(target: ModelTarget, outcome: AttemptRecord["outcome"], latencyMs: number, reask = false): AttemptRecord {
  return { provider: target.provider, model: target.model, outcome, reask, latencyMs: Math.round(latencyMs), inputTokens: 0, outputTokens: 0, costUsd: null };
}

function outputSpec(meta: PromptMeta, strictSchema: JsonSchema | null): OutputSpec {
  return meta.output.format === "json" && meta.output.schema
    ? { format: "json" as const, name: outputName(meta.id), schema: meta.output.schema, strictSchema, wrapped: meta.output.wrapped }
    : { format: "text" as const };
}
