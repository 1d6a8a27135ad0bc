// What a prompt sends and what its chain's models cost and hold, worked out once per prompt (and
// runtime: prices, windows and the local server are the runtime's) instead of once per call.
import type { PreparedPrompt } from "../contract/prepared.js";
import type { JsonSchema, PromptMeta } from "../contract/prompt.js";
import type { ModelPrice } from "../contract/price.js";
import type { OutputSpec } from "../contract/provider.js";
import { scopeOf, type CacheScope } from "../cache/response-cache.js";
import { priceOf, validatePrices } from "../cost/prices.js";
import { outputName } from "../pure/wire.js";
import { contextWindow } from "../tokens/windows.js";
import { hasOptionalNonNullable } from "./output.js";
import { strictSchemaOf } from "./prepare.js";

/** A chain model's price and context window, and what its requests carry besides the messages (measured on first use). */
interface TargetPlan {
  price: ModelPrice | undefined;
  window: number | undefined;
  overhead?: number;
}

export interface PromptPlan {
  strictSpec: OutputSpec;
  plainSpec: OutputSpec;
  /** The strict variant sends optional fields as nullable: their nulls are dropped before validating. */
  nullsToDrop: boolean;
  /** One per model of the chain, in order. */
  targets: TargetPlan[];
  /** The response cache's scope, when the prompt declares a cache. */
  scope: CacheScope | null;
}

/** promptc's local server answers for free. */
const LOCAL_PRICE: ModelPrice = { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0, contextWindow: Number.MAX_SAFE_INTEGER };

export class Plans {
  private readonly plans = new WeakMap<PreparedPrompt<unknown, unknown>, PromptPlan>();

  /** `prices`: the runtime's own, already checked. */
  constructor(
    private readonly prices: Record<string, ModelPrice> | undefined,
    private readonly contextWindows: Record<string, number> | undefined,
    private readonly local: boolean,
  ) {}

  of(prompt: PreparedPrompt<unknown, unknown>): PromptPlan {
    let plan = this.plans.get(prompt);
    if (!plan) this.plans.set(prompt, (plan = this.make(prompt)));
    return plan;
  }

  /**
   * Each chain model's price (the prompt's own from config `prices:`, the runtime's, then the
   * bundled table; nothing on the local server) and context window.
   */
  private make(prompt: PreparedPrompt<unknown, unknown>): PromptPlan {
    const { meta } = prompt;
    const own = meta.model.prices ? validatePrices(meta.model.prices) : undefined;
    const overrides = own || this.prices ? { ...this.prices, ...own } : undefined;
    return {
      strictSpec: outputSpec(meta, strictSchemaOf(prompt)),
      plainSpec: outputSpec(meta, null),
      nullsToDrop: !!meta.output.schema && hasOptionalNonNullable(meta.output.schema),
      targets: prompt.targets.map((t) => {
        const price = priceOf(t.provider, t.model, overrides);
        return { price: this.local ? LOCAL_PRICE : price, window: contextWindow(t.provider, t.model, this.contextWindows, price) };
      }),
      scope: meta.policies.cache ? scopeOf(meta, this.local) : null,
    };
  }
}

function outputSpec(meta: PromptMeta, strictSchema: JsonSchema | null): OutputSpec {
  return meta.output.format === "json" && meta.output.schema
    ? { format: "json" as const, name: outputName(meta.id), schema: meta.output.schema, strictSchema, wrapped: meta.output.wrapped }
    : { format: "text" as const };
}
