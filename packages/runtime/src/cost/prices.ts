// What models cost and hold: USD per million input, output and cached-input tokens, and the
// context window, for OpenAI's and Anthropic's current models. Published list prices as of
// November 2026 (standard tier, prompts under OpenAI's long-context threshold). Override or add
// models in promptc.config.yaml (`prices:`) or with `configureRuntime({ prices })`.

export interface ModelPrice {
  /** USD per million input tokens. */
  readonly input: number;
  /** USD per million output tokens. */
  readonly output: number;
  /** USD per million cached input tokens (a prompt-cache hit); the input price when not offered. */
  readonly cachedInput: number;
  /** Context window in tokens. */
  readonly contextWindow: number;
}

/** By `provider:model`. A model with a date suffix (`claude-haiku-4-5-20251001`) finds its base entry. */
export const BUNDLED_PRICES: Readonly<Record<string, ModelPrice>> = {
  "openai:gpt-5.5": { input: 5, output: 30, cachedInput: 0.5, contextWindow: 1_050_000 },
  "openai:gpt-5.4": { input: 2.5, output: 15, cachedInput: 0.25, contextWindow: 1_050_000 },
  "openai:gpt-5.4-mini": { input: 0.75, output: 4.5, cachedInput: 0.075, contextWindow: 400_000 },
  "openai:gpt-5.4-nano": { input: 0.2, output: 1.25, cachedInput: 0.02, contextWindow: 400_000 },
  "openai:gpt-5.2": { input: 1.75, output: 14, cachedInput: 0.175, contextWindow: 400_000 },
  "openai:gpt-5.1": { input: 1.25, output: 10, cachedInput: 0.125, contextWindow: 400_000 },
  "openai:gpt-5": { input: 1.25, output: 10, cachedInput: 0.125, contextWindow: 400_000 },
  "openai:gpt-5-mini": { input: 0.25, output: 2, cachedInput: 0.025, contextWindow: 400_000 },
  "openai:gpt-5-nano": { input: 0.05, output: 0.4, cachedInput: 0.005, contextWindow: 400_000 },
  "openai:gpt-4.1": { input: 2, output: 8, cachedInput: 0.5, contextWindow: 1_047_576 },
  "openai:gpt-4.1-mini": { input: 0.4, output: 1.6, cachedInput: 0.1, contextWindow: 1_047_576 },
  "openai:gpt-4.1-nano": { input: 0.1, output: 0.4, cachedInput: 0.025, contextWindow: 1_047_576 },
  "openai:gpt-4o": { input: 2.5, output: 10, cachedInput: 1.25, contextWindow: 128_000 },
  "openai:gpt-4o-mini": { input: 0.15, output: 0.6, cachedInput: 0.075, contextWindow: 128_000 },
  "openai:o3": { input: 2, output: 8, cachedInput: 0.5, contextWindow: 200_000 },
  "openai:o4-mini": { input: 1.1, output: 4.4, cachedInput: 0.275, contextWindow: 200_000 },
  "anthropic:claude-opus-4-6": { input: 5, output: 25, cachedInput: 0.5, contextWindow: 1_000_000 },
  "anthropic:claude-opus-4-5": { input: 5, output: 25, cachedInput: 0.5, contextWindow: 200_000 },
  "anthropic:claude-opus-4-1": { input: 15, output: 75, cachedInput: 1.5, contextWindow: 200_000 },
  "anthropic:claude-opus-4": { input: 15, output: 75, cachedInput: 1.5, contextWindow: 200_000 },
  "anthropic:claude-sonnet-4-6": { input: 3, output: 15, cachedInput: 0.3, contextWindow: 1_000_000 },
  "anthropic:claude-sonnet-4-5": { input: 3, output: 15, cachedInput: 0.3, contextWindow: 200_000 },
  "anthropic:claude-sonnet-4": { input: 3, output: 15, cachedInput: 0.3, contextWindow: 200_000 },
  "anthropic:claude-haiku-4-5": { input: 1, output: 5, cachedInput: 0.1, contextWindow: 200_000 },
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
export function validatePrices(table: Readonly<Record<string, Partial<ModelPrice>>>): Record<string, ModelPrice> {
  const out: Record<string, ModelPrice> = {};
  for (const [model, p] of Object.entries(table)) {
    if (!/^[\w.-]+:.+$/.test(model)) throw new PriceTableError(model, "name it as provider:model");
    for (const field of ["input", "output"] as const) {
      const v = p[field];
      if (v === undefined) throw new PriceTableError(model, `${field} is missing`);
      checkUsd(model, field, v);
    }
    if (p.cachedInput !== undefined) checkUsd(model, "cachedInput", p.cachedInput);
    if (p.contextWindow !== undefined && !(Number.isInteger(p.contextWindow) && p.contextWindow > 0)) {
      throw new PriceTableError(model, `contextWindow must be a positive integer, got ${p.contextWindow}`);
    }
    out[model] = { input: p.input!, output: p.output!, cachedInput: p.cachedInput ?? p.input!, contextWindow: p.contextWindow ?? 0 };
  }
  return out;
}

function checkUsd(model: string, field: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new PriceTableError(model, `${field} must be a number of USD per million tokens, got ${JSON.stringify(v)}`);
  if (v < 0) throw new PriceTableError(model, `${field} is negative (${v})`);
  if (v > ABSURD_USD_PER_MTOK) throw new PriceTableError(model, `${field} of ${v} USD per million tokens is not plausible; prices are per million tokens`);
}

const bundled = validatePrices(BUNDLED_PRICES);

/**
 * A model's price: overrides first, then the bundled table; exact name, then the name without
 * a date suffix (`-20251001`, `-2025-04-14`). Undefined for a model nobody priced.
 */
export function priceOf(provider: string, model: string, overrides?: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  const base = model.replace(/-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$/, "");
  for (const name of [`${provider}:${model}`, `${provider}:${base}`]) {
    const p = overrides?.[name] ?? bundled[name];
    if (p) return p;
  }
  return undefined;
}

/** USD for a usage at a price. Cached input tokens are part of the input tokens, billed lower. */
export function costUsd(price: ModelPrice, usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number }): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  return ((usage.inputTokens - cached) * price.input + cached * price.cachedInput + usage.outputTokens * price.output) / 1_000_000;
}
