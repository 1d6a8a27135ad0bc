// The call loop of one Runtime, loaded on its first call: what a generated function's call does.
// Input → the chain (call/chain.ts: models, attempts, re-asks, budgets, waits) → the declared
// fallback value or a typed error; every call's record is written once (call/call-run.ts).
import type { PreparedPrompt, PromptSchemas } from "../contract/prepared.js";
import type { CallSettings, PromptStream, StreamEvent, StreamSettings } from "../contract/prompt.js";
import type { CallRecord, CallSink } from "../contract/records.js";
import type { CallResult, RuntimeSettings } from "../contract/runtime.js";
import type { ModelPrice } from "../contract/price.js";
import { ResponseCache } from "../cache/response-cache.js";
import { LexicalEmbedder } from "../cache/semantic.js";
import { PromptError } from "../errors/prompt-errors.js";
import { ProviderResolver, localServerURL } from "../providers/resolve.js";
import { Channel } from "../pure/channel.js";
import { callStart, type CallStart } from "../pure/clock.js";
import type { ModelBreakers } from "../resilience/breakers.js";
import { MemoryStore } from "../store/memory.js";
import { beginRun, RecordWriter, type CallRun } from "./call-run.js";
import { driveChain, type ChainEnd } from "./chain.js";
import type { EngineContext } from "./context.js";
import { Plans } from "./plan.js";
import { prepareInput, schemasOf } from "./prepare.js";
import { CompleteSender, StreamSender } from "./senders.js";

export class CallLoop {
  private readonly ctx: EngineContext;
  private readonly complete: CompleteSender;

  /** `prices`: the runtime's own, already checked. */
  constructor(options: RuntimeSettings, breakers: ModelBreakers, sinks: readonly CallSink[], prices: Record<string, ModelPrice> | undefined) {
    const store = options.store ?? new MemoryStore();
    const local = localServerURL(options.localServer ?? (options.env ?? process.env)["PROMPTC_LOCAL_URL"]);
    this.ctx = {
      options, breakers, sinks, store,
      cache: new ResponseCache(store, options.embedder ?? new LexicalEmbedder()),
      providers: new ProviderResolver(options.providers, options.env ?? process.env, local),
      plans: new Plans(prices, options.contextWindows, !!local),
    };
    this.complete = new CompleteSender(breakers);
  }

  async call<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: CallSettings = {}, start: CallStart = callStart()): Promise<CallResult<O>> {
    const schemas = await schemasOf(prompt);
    const writer = new RecordWriter(this.ctx, prompt.meta, start, options);
    const run = this.begin(prompt, schemas, input, options, writer, true);
    const { record } = writer;
    const cached = run.cache && options.cache !== "refresh" ? await this.ctx.cache.lookup(run.cache, (json) => valid(run, json)) : undefined;
    if (cached) {
      Object.assign(record, { cache: cached.kind, valid: true });
      writer.finish(null);
      return { output: cached.output, record };
    }
    let end: ChainEnd<O>;
    try {
      end = await driveChain(this.ctx, run, this.complete);
    } catch (e) {
      throw failed(writer, e);
    }
    return { output: ended(run, writer, end), record };
  }

  /**
   * Streams a call. Before the first content chunk it behaves like call(): retries, breakers
   * and moving along the chain. Once content has been sent, a failure is final (no other
   * model can continue a stream the caller has started to show) and an invalid output is not
   * re-asked; the declared fallback value still applies to an invalid output.
   */
  stream<I, O>(prompt: PreparedPrompt<I, O>, input: I, options: StreamSettings = {}, start: CallStart = callStart()): PromptStream<O> {
    const channel = new Channel<StreamEvent<O>>();
    let recordOf!: (r: CallRecord) => void;
    const record = new Promise<CallRecord>((resolve) => (recordOf = resolve));
    const result = (async () => {
      const schemas = await schemasOf(prompt);
      const writer = new RecordWriter(this.ctx, prompt.meta, start, options, recordOf);
      const run = this.begin(prompt, schemas, input, options, writer, false);
      let end: ChainEnd<O>;
      try {
        end = await driveChain(this.ctx, run, new StreamSender(this.ctx.breakers, channel, run, options));
      } catch (e) {
        throw failed(writer, e);
      }
      return ended(run, writer, end);
    })();
    result.then(() => channel.end(), (e: unknown) => channel.end(e));
    result.catch(() => {}); // the caller may only iterate; the error reaches them there
    return { [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](), result, record };
  }

  /** The call's run, once its input is valid; an invalid input is recorded (E_INPUT_INVALID) and thrown. */
  private begin<I, O>(prompt: PreparedPrompt<I, O>, schemas: PromptSchemas<I, O>, input: I, options: CallSettings, writer: RecordWriter, cacheable: boolean): CallRun<I, O> {
    let prepared;
    try {
      prepared = prepareInput(prompt, schemas, input);
    } catch (e) {
      writer.finish("E_INPUT_INVALID");
      throw e;
    }
    return beginRun(this.ctx, prompt, schemas, prepared, options, writer, cacheable);
  }
}

/** The call's record, written once, for a call that ends in an output or the declared fallback value. */
function ended<O>(run: CallRun<unknown, O>, writer: RecordWriter, end: ChainEnd<O>): O {
  writer.finish(end.errorCode);
  return end.fallback ? run.schemas.OutputSchema.parse(end.value) : end.output;
}

/** The call's record, written once with the typed error's code, for a call that ends in one. */
function failed(writer: RecordWriter, e: unknown): unknown {
  if (e instanceof PromptError) writer.finish(e.code);
  return e;
}

/** A cached output, checked again: an entry may come from another process sharing the store. */
function valid<O>(run: CallRun<unknown, O>, json: string): O | undefined {
  const r = run.schemas.OutputSchema.safeParse(JSON.parse(json));
  return r.success ? r.data : undefined;
}
