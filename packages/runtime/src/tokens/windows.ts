// Context windows: declared first (runtime option `contextWindows`), then the model table in
// cost/prices.ts (exact name, or the name plus a date). A model in neither is not checked.
import { priceOf } from "../cost/prices.js";

export function contextWindow(provider: string, model: string, declared: Record<string, number> = {}): number | undefined {
  const own = declared[`${provider}:${model}`] ?? declared[model];
  if (own !== undefined) return own;
  const window = priceOf(provider, model)?.contextWindow;
  return window ? window : undefined;
}
