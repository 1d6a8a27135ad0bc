// The runtime a generated function calls through: configuration, call records, breakers. The
// call loop itself (call/call-loop.ts) is loaded on the first call, so importing the runtime
// and a set of prompts costs a few milliseconds, not the ~200 ms of zod, cockatiel and the
// provider code.
import type { CallLoop } from "./call/call-loop.js";
import { engine } from "./call/load-engine.js";
import type { PreparedPrompt } from "./contract/prepared.js";
import type { CallSettings, PromptStream, StreamEvent, StreamSettings } from "./contract/prompt.js";
import type { CallSink, FeedbackRecord } from "./contract/records.js";
import type { CallResult, RuntimeSettings } from "./contract/runtime.js";
import { validatePrices, type ModelPrice } from "./cost/prices.js";
import { callStart } from "./pure/clock.js";
import { deliverFeedback } from "./records/deliver.js";
import { MemorySink } from "./records/sinks.js";
import { ModelBreakers, type BreakerOptions } from "./resilience/breakers.js";

export type { CallResult, ProviderOverride } from "./contract/runtime.js";

/** What a call may say: its own settings, and the runtime to run it on instead of the configured one. */
export interface CallOptions extends CallSettings {
  /** The runtime to use instead of the configured one (tests, dependency injection). */
  runtime?: Runtime;
}

/** What a stream may say: its own settings (chunk timeouts), and the runtime to run it on. */
export interface StreamOptions extends CallOptions, StreamSettings {}

export interface RuntimeOptions extends RuntimeSettings {
  breakers?: ModelBreakers | BreakerOptions;
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
    deliverFeedback(this.sinks, record);
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
