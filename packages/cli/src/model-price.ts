// What a prompt's models cost, for the commands that project cost (cost, diff).
import type { ModelTarget, PromptIR } from "@promptc/core";
import { priceOf, validatePrices, type ModelPrice } from "@promptc/runtime";

/** A model's price for a prompt: the config's `prices:` stamped into its IR, then the bundled table. */
export function modelPrice(ir: PromptIR, target: ModelTarget): ModelPrice | undefined {
  return priceOf(target.provider, target.model, ir.model.prices ? validatePrices(ir.model.prices) : undefined);
}
