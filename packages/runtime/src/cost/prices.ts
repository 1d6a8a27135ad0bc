// What models cost and hold: USD per million tokens for input, output, prompt-cache reads and
// writes, long-context and batch rates where a provider has them, and the context window. Each
// bundled entry names its source and the date it was checked (December 2026, standard tier).
// Override or add models in promptc.config.yaml (`prices:`) or with `configureRuntime({ prices })`.
// Models that have shut down are not here: see lifecycle.ts.
import type { BilledUsage, ModelPrice, PriceInput } from "../contract/price.js";

export type { BilledUsage, ModelPrice, PriceInput };


/** A bundled price: the rates, where they come from, and when they were checked (no window: not published). */
export interface SourcedPrice extends Omit<ModelPrice, "contextWindow"> {
  readonly contextWindow?: number;
  readonly source: string;
  /** YYYY-MM-DD */
  readonly asOf: string;
}

const OPENAI_PRICING = "https://openai.com/api/pricing";
const ANTHROPIC_PRICING = "https://docs.anthropic.com/en/docs/about-claude/pricing";
const CHECKED = "2026-12-03";

// OpenAI: cache reads as listed; batch is half of standard on every model listed here.
function openai(input: number, output: number, cachedInput: number, contextWindow: number | undefined, extra: Partial<SourcedPrice> = {}): SourcedPrice {
  return { input, output, cachedInput, cacheWrite: input, cacheWrite1h: input, ...(contextWindow ? { contextWindow } : {}), batch: { input: input / 2, output: output / 2 }, source: OPENAI_PRICING, asOf: CHECKED, ...extra };
}
// GPT-5.6: cache writes at 1.25x input, reads at 0.1x, written without a breakpoint being asked for.
function openai56(input: number, output: number): SourcedPrice {
  return openai(input, output, input / 10, undefined, { cacheWrite: input * 1.25, cacheWrite1h: input * 1.25, writesCacheUnasked: true, source: "https://help.openai.com (GPT-5.6 preview: Sol, Terra, Luna)" });
}
// Anthropic: 5-minute cache writes 1.25x input, 1-hour writes 2x, reads 0.1x, batch half.
function anthropic(input: number, output: number, contextWindow: number): SourcedPrice {
  return { input, output, cachedInput: input / 10, cacheWrite: input * 1.25, cacheWrite1h: input * 2, contextWindow, batch: { input: input / 2, output: output / 2 }, source: ANTHROPIC_PRICING, asOf: CHECKED };
}

/** By `provider:model`. A model with a date suffix (`claude-haiku-4-5-20251001`) finds its base entry. */
export const BUNDLED_PRICES: Readonly<Record<string, SourcedPrice>> = {
  "openai:gpt-5.6-sol": openai56(5, 30),
  "openai:gpt-5.6-terra": openai56(2.5, 15),
  "openai:gpt-5.6-luna": openai56(1, 6),
  "openai:gpt-5.5": openai(5, 30, 0.5, 1_050_000),
  // Past 272K input tokens gpt-5.4 bills the whole request at the long-context rates.
  "openai:gpt-5.4": openai(2.5, 15, 0.25, 1_050_000, { longContext: { aboveInputTokens: 272_000, input: 5, output: 22.5, cachedInput: 0.5 } }),
  "openai:gpt-5.4-mini": openai(0.75, 4.5, 0.075, 400_000),
  "openai:gpt-5.4-nano": openai(0.2, 1.25, 0.02, 400_000),
  "openai:gpt-5.2": openai(1.75, 14, 0.175, 400_000),
  "openai:gpt-5.1": openai(1.25, 10, 0.125, 400_000),
  // Shut down on 2026-12-11 (lifecycle.ts); priced until then.
  "openai:gpt-5": openai(1.25, 10, 0.125, 400_000),
  "openai:gpt-5-mini": openai(0.25, 2, 0.025, 400_000),
  "openai:gpt-5-nano": openai(0.05, 0.4, 0.005, 400_000),
  "openai:o3": openai(2, 8, 0.5, 200_000),
  "openai:gpt-4.1": openai(2, 8, 0.5, 1_047_576),
  "openai:gpt-4.1-mini": openai(0.4, 1.6, 0.1, 1_047_576),
  "openai:gpt-4o": openai(2.5, 10, 1.25, 128_000),
  "openai:gpt-4o-mini": openai(0.15, 0.6, 0.075, 128_000),
  "anthropic:claude-opus-4-7": anthropic(5, 25, 1_000_000),
  "anthropic:claude-opus-4-6": anthropic(5, 25, 1_000_000),
  "anthropic:claude-opus-4-5": anthropic(5, 25, 200_000),
  "anthropic:claude-sonnet-4-6": anthropic(3, 15, 1_000_000),
  "anthropic:claude-haiku-4-5": anthropic(1, 5, 200_000),
};

/** Above this, a per-million price is a typo (a price per token, or in cents), not a model. */
const ABSURD_USD_PER_MTOK = 1_000;

export class PriceTableError extends Error {
  constructor(readonly model: string, problem: string) {
    super(`price of ${model}: ${problem}`);
    this.name = "PriceTableError";
  }
}


/** Checks every entry: each price present, finite, not negative, not absurd; a positive window. */
export function validatePrices(table: Readonly<Record<string, PriceInput>>): Record<string, ModelPrice> {
  const out: Record<string, ModelPrice> = {};
  for (const [model, p] of Object.entries(table)) {
    if (!/^[\w.-]+:.+$/.test(model)) throw new PriceTableError(model, "name it as provider:model");
    for (const field of ["input", "output"] as const) {
      const v = p[field];
      if (v === undefined) throw new PriceTableError(model, `${field} is missing`);
      checkUsd(model, field, v);
    }
    for (const field of ["cachedInput", "cacheWrite", "cacheWrite1h"] as const) if (p[field] !== undefined) checkUsd(model, field, p[field]);
    if (p.longContext) for (const field of ["input", "output", "cachedInput"] as const) checkUsd(model, `longContext.${field}`, p.longContext[field]);
    if (p.batch) for (const field of ["input", "output"] as const) checkUsd(model, `batch.${field}`, p.batch[field]);
    if (p.contextWindow !== undefined && !(Number.isInteger(p.contextWindow) && p.contextWindow > 0)) {
      throw new PriceTableError(model, `contextWindow must be a positive integer, got ${p.contextWindow}`);
    }
    const input = p.input!;
    const cacheWrite = p.cacheWrite ?? input;
    out[model] = {
      input,
      output: p.output!,
      cachedInput: p.cachedInput ?? input,
      cacheWrite,
      cacheWrite1h: p.cacheWrite1h ?? cacheWrite,
      contextWindow: p.contextWindow ?? 0,
      ...(p.longContext ? { longContext: p.longContext } : {}),
      ...(p.batch ? { batch: p.batch } : {}),
      ...(p.writesCacheUnasked ? { writesCacheUnasked: true } : {}),
    };
  }
  return out;
}

function checkUsd(model: string, field: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new PriceTableError(model, `${field} must be a number of USD per million tokens, got ${JSON.stringify(v)}`);
  if (v < 0) throw new PriceTableError(model, `${field} is negative (${v})`);
  if (v > ABSURD_USD_PER_MTOK) throw new PriceTableError(model, `${field} of ${v} USD per million tokens is not plausible; prices are per million tokens`);
}

const bundled = validatePrices(BUNDLED_PRICES);

/** A model name without its date or `-latest` suffix: `claude-haiku-4-5-20251001` → `claude-haiku-4-5`. */
export function baseModel(model: string): string {
  return model.replace(/-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$/, "");
}

/**
 * A model's price: overrides first, then the bundled table; exact name, then the name without
 * a date suffix (`-20251001`, `-2025-04-14`). Undefined for a model nobody priced.
 */
export function priceOf(provider: string, model: string, overrides?: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  for (const name of [`${provider}:${model}`, `${provider}:${baseModel(model)}`]) {
    const p = overrides?.[name] ?? bundled[name];
    if (p) return p;
  }
  return undefined;
}


/** The input, output and cache-read rates for a request of this many input tokens: past a model's long-context threshold, the long-context ones. */
function ratesFor(price: ModelPrice, inputTokens: number): { input: number; output: number; cachedInput: number } {
  return price.longContext && inputTokens > price.longContext.aboveInputTokens ? price.longContext : price;
}

/** USD for a usage at a price: a long request at the long-context rates, cache reads and writes at theirs. */
export function costUsd(price: ModelPrice, usage: BilledUsage): number {
  const { input, output, cachedInput } = ratesFor(price, usage.inputTokens);
  // Written and read tokens never exceed the input they are part of.
  let left = usage.inputTokens;
  const take = (n = 0) => {
    const t = Math.min(Math.max(n, 0), left);
    left -= t;
    return t;
  };
  const read = take(usage.cachedInputTokens);
  const written = take(usage.cacheWriteTokens);
  const written1h = take(usage.cacheWrite1hTokens);
  return (left * input + read * cachedInput + written * price.cacheWrite + written1h * price.cacheWrite1h + usage.outputTokens * output) / 1_000_000;
}

/**
 * The most an attempt can cost, per million input tokens, given a bound on its input: the
 * long-context rate past the threshold, and the cache-write rate where the provider writes
 * without being asked (promptc never asks Anthropic to cache, so its writes are not assumed).
 */
export function worstInputRate(price: ModelPrice, inputTokensBound: number): { input: number; output: number } {
  const { input, output } = ratesFor(price, inputTokensBound);
  return { input: price.writesCacheUnasked ? Math.max(input, price.cacheWrite) : input, output };
}
