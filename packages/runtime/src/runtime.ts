// The runtime a generated function calls through: configuration, call records, breakers. The
// call loop itself (call/call-loop.ts) is loaded on the first call, so importing the runtime
// and a set of prompts costs a few milliseconds, not the ~200 ms of zod, cockatiel and the
// provider code.
import type { PreparedPrompt } from "./call/prepare.js";
import type { CallLoop } from "./call/call-loop.js";
import { callStart } from "./call/call-start.js";
import { engine } from "./call/load-engine.js";
import { MemorySink, type CallRecord, type CallSink, type FeedbackRecord } from "./call/records.js";
import type { ProviderAdapter, ProviderSettings } from "./providers/types.js";
import { ModelBreakers, type BreakerOptions } from "./resilience/breakers.js";
import { validatePrices, type ModelPrice, type PriceInput } from "./cost/prices.js";
import type { CallOptions, PromptStream, StreamEvent, StreamOptions } from "./types.js";
import type { BudgetAlert } from "./budget/budgets.js";
import type { Embedder } from "./cache/semantic.js";
import type { Store } from "./store/types.js";

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
  /** Where budgets and caches live (default: this process's memory). See @promptc/runtime/stores. */
  store?: Store;
  /** Prices by `provider:model`, over the bundled table (USD per million tokens). Validated here. */
  prices?: Record<string, PriceInput>;
  /** Called once per budget window when a budget's alert fraction (default 0.8) is crossed. */
  onBudgetAlert?: (alert: BudgetAlert) => void;
  /** Embeds inputs for the semantic cache (default: LexicalEmbedder, no network). */
  embedder?: Embedder;
  /**
   * Send every call to promptc's local server at this URL (`promptc serve`), whatever the
   * providers: no key needed, replies cost 0 and records say `local: true`. Default: the
   * PROMPTC_LOCAL_URL environment variable.
   */
  localServer?: string;
  /** For tests: jitter source and how to wait. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
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
  private loop: CallLoop | undefined;
  private readonly prices: Record<string, ModelPrice> | undefined;

  constructor(private readonly options: RuntimeOptions = {}) {
    this.prices = options.prices ? validatePrices(options.prices) : undefined; // a bad price fails here, naming the model
    this.breakers = options.breakers instanceof ModelBreakers ? options.breakers : new ModelBreakers(options.breakers);
    this.sinks = [this.memory, ...(options.sinks ?? [])];
  }

  async call<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: CallOptions = {}): Promise<CallResult<O>> {
    if (this.loop) return this.loop.call(prompt, input, options);
    const start = callStart();
    return (await this.callLoop()).call(prompt, input, options, start);
  }

  /** Streams a call; see CallLoop.stream. */
  stream<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: StreamOptions = {}): PromptStream<O> {
    if (this.loop) return this.loop.stream(prompt, input, options);
    const start = callStart();
    return deferredStream(this.callLoop().then((loop) => loop.stream(prompt, input, options, start)));
  }

  /**
   * Records what a user thought of a call's output (`record.callId`), for `promptc stats`:
   * delivered to every sink that takes feedback (the memory sink and JSON Lines files do).
   */
  feedback(callId: string, score: number, note?: string): void {
    if (typeof callId !== "string" || !callId) throw new TypeError("feedback needs the callId of a call record");
    if (!Number.isFinite(score)) throw new TypeError(`feedback score must be a finite number, got ${score}`);
    const record: FeedbackRecord = { type: "feedback", callId, score, note: note ?? null, at: new Date().toISOString() };
    for (const sink of this.sinks) {
      try {
        const pending = sink.feedback?.(record);
        if (pending) pending.catch(() => {});
      } catch {
        /* a failing sink must not fail the caller */
      }
    }
  }

  private async callLoop(): Promise<CallLoop> {
    const { CallLoop } = await engine();
    return (this.loop ??= new CallLoop(this.options, this.breakers, this.sinks, this.prices));
  }
}

/** A stream whose call loop is still loading: the same interface, waiting for it first. */
function deferredStream<O>(pending: Promise<PromptStream<O>>): PromptStream<O> {
  const result = pending.then((s) => s.result);
  result.catch(() => {}); // as with a loaded stream: the caller may only iterate
  const record = pending.then((s) => s.record);
  record.catch(() => {});
  return {
    result,
    record,
    async *[Symbol.asyncIterator](): AsyncGenerator<StreamEvent<O>> {
      yield* await pending;
    },
  };
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

/** Feedback on a call (`record.callId`) through the configured runtime; see Runtime.feedback. */
export function feedback(callId: string, score: number, note?: string): void {
  getRuntime().feedback(callId, score, note);
}
