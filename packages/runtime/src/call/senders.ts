// The two ways an attempt is sent. Whole: one request within the attempt's timeout. Streamed:
// chunks pushed to the caller as they come, with watchdogs for the first and each next chunk.
import type { DeepPartial, Message, StreamEvent, StreamSettings } from "../contract/prompt.js";
import type { ProviderRequest, ProviderResponse } from "../contract/provider.js";
import type { Channel } from "../pure/channel.js";
import { parsePartialJson } from "../pure/partial-json.js";
import { fromWire } from "../pure/wire.js";
import type { ModelBreakers } from "../resilience/breakers.js";
import { attemptSignal, NO_SIGNAL } from "../resilience/wait.js";
import type { CallRun } from "./call-run.js";
import type { Attempt, Reachable, Sender, Sent } from "./chain.js";

type AnyRun = CallRun<unknown, unknown>;

/** The request for one attempt; a streamed one has no `timeoutMs` (its watchdogs end it). */
function request(run: AnyRun, reached: Reachable, messages: Message[], signal: AbortSignal | undefined, timeoutMs?: number): ProviderRequest {
  const { maxTokens, temperature, topP, stop } = run.meta.model;
  const output = reached.strictSent ? run.plan.strictSpec : run.plan.plainSpec;
  const sent: ProviderRequest = { model: reached.target.model, messages, maxTokens, temperature, topP, stop, output, signal };
  if (timeoutMs !== undefined) sent.timeoutMs = timeoutMs;
  return sent;
}

/** Sends each attempt whole. One per runtime: it holds nothing of a call. */
export class CompleteSender implements Sender {
  readonly reasks = true;

  constructor(private readonly breakers: ModelBreakers) {}

  async send(run: AnyRun, reached: Reachable, messages: Message[], attempt: Attempt): Promise<Sent> {
    const { target, adapter } = reached;
    const timeoutMs = Math.min(run.meta.policies.retry.timeoutMs, attempt.remaining);
    // Our adapters keep to timeoutMs themselves; a signal is made only to pass on the caller's abort.
    const limit = adapter.enforcesTimeout ? (run.signal ? attemptSignal(null, run.signal) : NO_SIGNAL) : attemptSignal(timeoutMs, run.signal);
    const t0 = performance.now();
    try {
      const response = await this.breakers.execute(target.provider, target.model, () => adapter.complete(request(run, reached, messages, limit.signal, timeoutMs)));
      return { response, t0 };
    } catch (error) {
      return { error, t0, contentStarted: false };
    } finally {
      limit.dispose();
    }
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

  async send(run: AnyRun, reached: Reachable, messages: Message[], attempt: Attempt): Promise<Sent> {
    const { target, adapter } = reached;
    const { meta, record, signal } = run;
    const { remaining } = attempt;
    // One controller per attempt: the caller's abort, the deadline, and the chunk watchdog all end it.
    const controller = new AbortController();
    const stop = (reason: unknown) => controller.abort(reason);
    const onCallerAbort = () => stop(signal!.reason);
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    const timeout = (ms: number, what: string) => setTimeout(() => stop(new DOMException(`${what} timed out`, "TimeoutError")), ms);
    // setTimeout clamps Infinity to 1 ms: without a deadline there is no deadline timer.
    const deadlineTimer = Number.isFinite(remaining) ? timeout(remaining, "the call") : undefined;
    let watchdog = timeout(Math.min(this.firstChunkMs, remaining), "the first chunk");
    const t0 = performance.now();
    let contentStarted = false;
    let text = "";
    let lastPartial = "";
    try {
      const stream = await this.breakers.execute(target.provider, target.model, () => adapter.stream(request(run, reached, messages, controller.signal)));
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
      const response: ProviderResponse = await stream.final();
      return { response, t0 };
    } catch (error) {
      return { error, t0, contentStarted };
    } finally {
      clearTimeout(watchdog);
      clearTimeout(deadlineTimer);
      signal?.removeEventListener("abort", onCallerAbort);
    }
  }
}
