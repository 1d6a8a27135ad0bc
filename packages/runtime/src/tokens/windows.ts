// Context windows: declared first (runtime option `contextWindows`), then the model's price
// entry: config `prices:` or the runtime's `prices`, else the table in cost/prices.ts (exact
// name, or the name plus a date). A model in none of them is not checked.
import { priceOf, type ModelPrice } from "../cost/prices.js";

export function contextWindow(provider: string, model: string, declared: Record<string, number> = {}, price: ModelPrice | undefined = priceOf(provider, model)): number | undefined {
  const own = declared[`${provider}:${model}`] ?? declared[model];
  if (own !== undefined) return own;
  return price?.contextWindow ? price.contextWindow : undefined;
}
