// Turns an SDK's stream of events into a ProviderStream: chunks as they come, the summary at
// the end, and any failure mid-stream as a TransportError.
import type { BilledUsage } from "../cost/prices.js";
import { fromSdkError } from "../errors/transport-error.js";
import type { FinishReason, ProviderRequest, ProviderResponse, ProviderStream, StreamChunk } from "../contract/provider.js";

export interface StreamState {
  model: string;
  finishReason: FinishReason;
  /** Usage as the stream reports it; adapters replace it as later events bring more. */
  usage: BilledUsage;
}

export function providerStream<E>(
  events: AsyncIterable<E>,
  read: (event: E, state: StreamState) => string | undefined,
  context: { provider: string; request: ProviderRequest; apiKey?: string | undefined; unwrap?: (text: string) => unknown },
): ProviderStream {
  const state: StreamState = { model: context.request.model, finishReason: "other", usage: { inputTokens: 0, outputTokens: 0 } };
  let text = "";
  let settle!: { resolve: (r: ProviderResponse) => void; reject: (e: unknown) => void };
  const final = new Promise<ProviderResponse>((resolve, reject) => (settle = { resolve, reject }));
  final.catch(() => {}); // observed through final() or iteration; never unhandled
  let started = false;

  async function* chunks(): AsyncGenerator<StreamChunk> {
    if (started) throw new Error("a provider stream can be read once");
    started = true;
    try {
      for await (const event of events) {
        const delta = read(event, state);
        if (delta) {
          text += delta;
          yield { delta };
        }
      }
      // An SDK ends an aborted stream quietly: an abort is still a failure.
      if (context.request.signal?.aborted) throw context.request.signal.reason ?? new Error("aborted");
      const value = context.unwrap?.(text);
      settle.resolve({ text: value === undefined ? text : JSON.stringify(value), ...(value === undefined ? {} : { value }), model: state.model, finishReason: state.finishReason, usage: state.usage });
    } catch (e) {
      const error = fromSdkError(e, context.provider, context.request.model, context.request.signal, context.apiKey);
      settle.reject(error);
      throw error;
    }
  }
  return { [Symbol.asyncIterator]: chunks, final: () => final };
}
