// The thin interface every provider adapter implements. The runtime's one retry loop sits
// above it; adapters make exactly one attempt and report failures as TransportError.
import type { BilledUsage } from "./price.js";
import type { JsonSchema, Message } from "./prompt.js";

export type OutputSpec =
  | { format: "text" }
  | {
      format: "json";
      /** Name of the schema (OpenAI) or of the forced tool (Anthropic). */
      name: string;
      schema: JsonSchema;
      /** OpenAI strict-mode variant, when the schema can be strict. */
      strictSchema: JsonSchema | null;
      /** A non-object output travels as `{ value }` where the protocol needs an object. */
      wrapped: boolean;
    };

export interface ProviderRequest {
  model: string;
  messages: Message[];
  maxTokens: number;
  temperature: number | null;
  topP: number | null;
  stop: readonly string[] | null;
  output: OutputSpec;
  /**
   * Aborts this attempt. For an adapter that `enforcesTimeout`, only the caller's abort (the
   * time limit is `timeoutMs`); for any other, also the attempt's timeout and the deadline.
   */
  signal?: AbortSignal;
  /** complete(): the time this attempt may take, headers and body, in ms. */
  timeoutMs?: number;
}

export type FinishReason = "stop" | "length" | "refusal" | "content_filter" | "other";

export interface ProviderResponse {
  /** The reply as text; for a JSON output, the JSON text. */
  text: string;
  /** For a forced tool call (Anthropic), the tool input already parsed, unwrapped. */
  value?: unknown;
  /** The model that answered, as the provider names it. */
  model: string;
  finishReason: FinishReason;
  /** Tokens billed; cache reads and writes are part of `inputTokens`. */
  usage: BilledUsage;
}

/** One piece of a streamed reply: text, or (Anthropic tool calls) a piece of the output's JSON. */
export interface StreamChunk {
  delta: string;
}

/** A streamed reply: chunks, then the same summary a complete() returns (text = all chunks). */
export interface ProviderStream extends AsyncIterable<StreamChunk> {
  /** Resolves after the last chunk, or rejects with the TransportError that ended the stream. */
  final(): Promise<ProviderResponse>;
}

export interface ProviderAdapter {
  /** The provider's name in promptc.config.yaml (`openai`, `anthropic`, `local`…). */
  readonly name: string;
  /**
   * complete() ends every attempt within `request.timeoutMs` by itself (closing the connection),
   * so the loop need not make an abort signal per attempt: creating one costs Node 20 ~10 µs.
   * Adapters without this get a signal that aborts on the timeout.
   */
  readonly enforcesTimeout?: boolean;
  /** Loads what the first call needs (the SDK), so that it does not eat into an attempt's timeout. */
  ready?(): Promise<void> | void;
  /**
   * Tokens, bounded from above, that a request with this output carries and the provider bills
   * as input besides the messages: the schema as sent, a tool definition, the tool-use system
   * prompt. The budget reserves them and the context window counts them (docs/runtime.md).
   */
  inputOverheadBound?(output: OutputSpec): number;
  complete(request: ProviderRequest): Promise<ProviderResponse>;
  /** Starts a streamed reply; rejects (like complete) when the request itself fails. */
  stream(request: ProviderRequest): Promise<ProviderStream>;
}

export interface ProviderSettings {
  /** The name the config gives the provider. */
  name: string;
  type: "openai" | "anthropic" | "openai-compatible";
  /** From the config or the environment; never logged, never in errors or records. */
  apiKey?: string | undefined;
  baseURL?: string | undefined;
}
