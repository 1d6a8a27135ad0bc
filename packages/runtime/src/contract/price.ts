// What a model costs, as the runtime reads it: rates, context window, usage as billed.

export interface ModelPrice {
  /** USD per million input tokens. */
  readonly input: number;
  /** USD per million output tokens. */
  readonly output: number;
  /** USD per million cached input tokens (a prompt-cache hit); the input price when not offered. */
  readonly cachedInput: number;
  /** USD per million input tokens written to the prompt cache (Anthropic's 5-minute writes, OpenAI GPT-5.6); the input price when writes cost nothing extra. */
  readonly cacheWrite: number;
  /** USD per million input tokens written to Anthropic's 1-hour cache; `cacheWrite` elsewhere. */
  readonly cacheWrite1h: number;
  /** Context window in tokens; 0 when unknown (not checked). */
  readonly contextWindow: number;
  /** Above this many input tokens the whole request is billed at these rates (OpenAI gpt-5.4 past 272K). */
  readonly longContext?: { readonly aboveInputTokens: number; readonly input: number; readonly output: number; readonly cachedInput: number };
  /** Batch API rates, where the provider has a batch API. */
  readonly batch?: { readonly input: number; readonly output: number };
  /** The provider writes (and bills) prompt-cache entries without being asked, so a reservation prices input at the write rate. */
  readonly writesCacheUnasked?: boolean;
}

/** A price as a config or an option gives it: input and output required, the rest defaulted. */
export type PriceInput = Partial<Omit<ModelPrice, "longContext" | "batch">> & Pick<ModelPrice, "longContext" | "batch">;

/** Tokens as billed. Cache reads and writes are part of `inputTokens`, each billed at its own rate. */
export interface BilledUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the prompt cache. */
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic: the 5-minute cache). */
  cacheWriteTokens?: number;
  /** Input tokens written to Anthropic's 1-hour cache. */
  cacheWrite1hTokens?: number;
}
