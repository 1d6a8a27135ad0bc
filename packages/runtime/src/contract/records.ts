// A record of every call: enough to trace an output to the prompt version, model and attempts
// that produced it. Never holds keys.

export type AttemptOutcome = "ok" | "transport_error" | "invalid_output" | "unavailable" | "not_configured" | "context_overflow" | "budget_exceeded" | "store_unavailable";

export interface AttemptRecord {
  provider: string;
  model: string;
  outcome: AttemptOutcome;
  /** TransportError kind, for transport failures. */
  errorKind?: string;
  status?: number;
  /** This attempt was a re-ask after invalid output. */
  reask: boolean;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /** Of the input, tokens read from the provider's prompt cache; absent when none. */
  cachedInputTokens?: number;
  /** Of the input, tokens written to the provider's prompt cache (5-minute and 1-hour); absent when none. */
  cacheWriteTokens?: number;
  /** Why the output was rejected, for invalid_output. */
  issues?: string;
  /** What the attempt cost in USD; null when the model has no price. */
  costUsd: number | null;
}

export interface CallRecord {
  callId: string;
  startedAt: string;
  promptId: string;
  version: number;
  hash: string;
  tier: string;
  /** First model of the chain, as provider:model. */
  requestedModel: string;
  /** The model that produced the output, as the provider named it; null if none did. */
  answeredModel: string | null;
  provider: string | null;
  attempts: AttemptRecord[];
  reasks: number;
  /** "model": a later model of the chain answered; "value": the declared fallback value was returned. */
  fallback: "model" | "value" | null;
  inputTokens: number;
  outputTokens: number;
  /** Of the input, tokens read from the provider's prompt cache (billed at its cache-read rate). */
  cachedInputTokens: number;
  /** Of the input, tokens written to the provider's prompt cache (billed at its cache-write rate). */
  cacheWriteTokens: number;
  /** USD, summed over every attempt: retries, re-asks and fallbacks. 0 for a cache hit. */
  costUsd: number;
  /** The answer came from the response cache. */
  cache: "exact" | "semantic" | null;
  user: string | null;
  feature: string | null;
  latencyMs: number;
  timeToFirstChunkMs: number | null;
  valid: boolean;
  errorCode: string | null;
  /** Answered by promptc's local server (`promptc serve`), not a provider: costs 0. */
  local?: true;
}

/** What a user thought of a call's output, tied to the call by its id (see `feedback()`). */
export interface FeedbackRecord {
  /** Marks a feedback line in a JSON Lines file of call records. */
  type: "feedback";
  callId: string;
  /** Your scale; `promptc stats` averages it (e.g. 1 = good, 0 = bad). */
  score: number;
  note: string | null;
  at: string;
}

export interface CallSink {
  write(record: CallRecord): void | Promise<void>;
  /** Receives feedback on earlier calls; sinks without it ignore feedback. */
  feedback?(record: FeedbackRecord): void | Promise<void>;
}
