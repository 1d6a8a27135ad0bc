// The two ways an attempt is sent. Whole: one request within the attempt's timeout. Streamed:
// chunks pushed to the caller as they come, with watchdogs for the first and each next chunk.
import type { DeepPartial, Message, StreamEvent, StreamSettings } from "../contract/prompt.js";
import type { ProviderResponse } from "../contract/provider.js";
import type { Channel } from "../pure/channel.js";
import { parsePartialJson } from "../pure/partial-json.js";
import { fromWire } from "../pure/wire.js";
import type { ModelBreakers } from "../resilience/breakers.js";
import { attemptSignal, NO_SIGNAL } from "../resilience/wait.js";
import type { CallRun } from "./call-run.js";
import { AfterContent, type Attempt, type Reachable, type Sender } from "./chain.js";

type AnyRun = CallRun<unknown, unknown>;

/** Sends each attempt whole. One per runtime: it holds nothing of a call. */
export class CompleteSender implements Sender {
  readonly reasks = true;

  constructor(private readonly breakers: ModelBreakers) {}

  send(run: AnyRun, reached: Reachable, messages: Message[], attempt: Attempt): Promise<ProviderResponse> {
    const { target, adapter } = reached;
    const { maxTokens, temperature, topP, stop } = run.meta.model;
    const output = reached.strictSent ? run.plan.strictSpec : run.plan.plainSpec;
    const timeoutMs = Math.min(run.meta.policies.retry.timeoutMs, attempt.remaining);
    // Our adapters keep to timeoutMs themselves; a signal is made only to pass on the caller's abort.
    const limit = adapter.enforcesTimeout ? (run.signal ? attemptSignal(null, run.signal) : NO_SIGNAL) : attemptSignal(timeoutMs, run.signal);
    const { signal } = limit;
    const reply = this.breakers.execute(target.provider, target.model, () => adapter.complete({ model: target.model, messages, maxTokens, temperature, topP, stop, output, signal, timeoutMs }));
    return limit === NO_SIGNAL ? reply : reply.finally(limit.dispose);
  }
}

/**
 * Streams each attempt into the caller's channel. Before the first content chunk a failure is
 * like a call's (retries, breakers, the next model); after it, it is final (see chain.ts).
 */
export class StreamSender<O> implements Sender {
  readonly reasks = false;
  private readonly firstChunkMs: number;
  private readonly chunkMs: number;

  constructor(private readonly breakers: ModelBreakers, private readonly channel: Channel<StreamEvent<O>>, run: AnyRun, options: StreamSettings) {
    const { timeoutMs } = run.meta.policies.retry;
    this.firstChunkMs = options.firstChunkTimeoutMs ?? timeoutMs;
    this.chunkMs = options.chunkTimeoutMs ?? timeoutMs;
  }

  async send(run: AnyRun, reached: Reachable, messages: Message[], attempt: Attempt): Promise<ProviderResponse> {
    const { target, adapter } = reached;
    const { meta, record, signal } = run;
    const { maxTokens, temperature, topP, stop } = meta.model;
    const output = reached.strictSent ? run.plan.strictSpec : run.plan.plainSpec;
    const { remaining } = attempt;
    // One controller per attempt: the caller's abort, the deadline, and the chunk watchdog all end it.
    const controller = new AbortController();
    const end = (reason: unknown) => controller.abort(reason);
    const onCallerAbort = () => end(signal!.reason);
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    const timeout = (ms: number, what: string) => setTimeout(() => end(new DOMException(`${what} timed out`, "TimeoutError")), ms);
    // setTimeout clamps Infinity to 1 ms: without a deadline there is no deadline timer.
    const deadlineTimer = Number.isFinite(remaining) ? timeout(remaining, "the call") : undefined;
    let watchdog = timeout(Math.min(this.firstChunkMs, remaining), "the first chunk");
    let contentStarted = false;
    let text = "";
    let lastPartial = "";
    try {
      const stream = await this.breakers.execute(target.provider, target.model, () => adapter.stream({ model: target.model, messages, maxTokens, temperature, topP, stop, output, signal: controller.signal }));
      for await (const chunk of stream) {
        if (!contentStarted) {
          contentStarted = true;
          record.timeToFirstChunkMs = Math.round(performance.now() - run.started);
        }
        clearTimeout(watchdog);
        watchdog = timeout(this.chunkMs, "the next chunk");
        text += chunk.delta;
        if (meta.output.format === "text") {
          this.channel.push({ type: "text", delta: chunk.delta, text });
        } else {
          const value = fromWire(parsePartialJson(text), meta.output.wrapped);
          const key = value === undefined ? "" : JSON.stringify(value);
          if (key && key !== lastPartial) {
            lastPartial = key;
            this.channel.push({ type: "partial", value: value as DeepPartial<O> });
          }
        }
      }
      return await stream.final();
    } catch (error) {
      throw contentStarted ? new AfterContent(error) : error;
    } finally {
      clearTimeout(watchdog);
      clearTimeout(deadlineTimer);
      signal?.removeEventListener("abort", onCallerAbort);
    }
  }
}
