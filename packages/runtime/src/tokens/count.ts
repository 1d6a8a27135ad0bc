// Counting a request's input tokens. OpenAI models: js-tiktoken (o200k_base), loaded on first
// use (~1 s) and only when a cheap upper bound does not already settle the question. Other
// providers: an estimate with a safety margin.
import type { Message } from "../contract/prompt.js";
import { importOptional, MissingPackageError } from "../pure/optional-package.js";

// Chat formatting costs a few tokens per message and to prime the reply (OpenAI's cookbook).
export const PER_MESSAGE = 3;
export const REPLY_PRIMING = 3;

/** Byte-level BPE tokens are at least one byte each: the UTF-8 length bounds the count from above. */
export function upperBound(messages: readonly Message[]): number {
  let bytes = REPLY_PRIMING;
  for (const m of messages) bytes += Buffer.byteLength(m.content, "utf8") + Buffer.byteLength(m.role, "utf8") + PER_MESSAGE;
  return bytes;
}

/** For tokenizers we do not ship: one token per 3 bytes of UTF-8, plus 10%. Errs high for most text. */
export function estimate(messages: readonly Message[]): number {
  return Math.ceil((upperBound(messages) / 3) * 1.1);
}

let o200k: Promise<{ encode(text: string): number[] } | null> | undefined;

/**
 * Exact count with the o200k_base encoding (GPT-4o, GPT-4.1, GPT-5, o-series). js-tiktoken is an
 * optional peer: without it the count is the UTF-8 upper bound, which keeps every budget and
 * window check safe but may refuse a request an exact count would let through (said once, as a
 * process warning naming the package).
 */
export async function countOpenAI(messages: readonly Message[]): Promise<number> {
  o200k ??= importOptional("js-tiktoken", "exact token counts for OpenAI models", () => Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")])).then(
    ([{ Tiktoken }, ranks]) => new Tiktoken((ranks as { default: ConstructorParameters<typeof Tiktoken>[0] }).default),
    (e: unknown) => {
      if (!(e instanceof MissingPackageError)) throw e;
      process.emitWarning(`${e.message}. Until then, OpenAI requests near a context window or budget limit are counted by their UTF-8 bytes, an upper bound.`, { code: "PROMPTC_NO_TOKENIZER" });
      return null;
    },
  );
  const encoder = await o200k;
  if (!encoder) return upperBound(messages);
  let tokens = REPLY_PRIMING;
  for (const m of messages) tokens += encoder.encode(m.content).length + encoder.encode(m.role).length + PER_MESSAGE;
  return tokens;
}

export type Fit = { fits: true; inputTokens?: number } | { fits: false; inputTokens: number; window: number };

/**
 * Whether the messages, what the request carries besides them (`overhead`, a bound) and
 * max_tokens fit the window, counting only when the bound is not enough.
 */
export async function fitsWindow(messages: readonly Message[], overhead: number, maxTokens: number, window: number | undefined, family: "openai" | "other"): Promise<Fit> {
  if (window === undefined) return { fits: true };
  if (upperBound(messages) + overhead + maxTokens <= window) return { fits: true };
  const inputTokens = (family === "openai" ? await countOpenAI(messages) : estimate(messages)) + overhead;
  return inputTokens + maxTokens <= window ? { fits: true, inputTokens } : { fits: false, inputTokens, window };
}
