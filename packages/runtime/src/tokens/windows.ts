// Context windows of the models whose windows are published and known to us. A model not listed
// is not checked unless its window is declared (runtime option `contextWindows`).
const KNOWN: [prefix: string, tokens: number][] = [
  ["gpt-4.1", 1_047_576], // gpt-4.1, -mini, -nano
  ["gpt-4o", 128_000], // gpt-4o, -mini
  ["gpt-5", 400_000], // gpt-5, -mini, -nano (not the later gpt-5.x releases: unknown here)
  ["o3", 200_000],
  ["o4-mini", 200_000],
  ["claude-haiku-4-5", 200_000],
  ["claude-sonnet-4-5", 200_000],
  ["claude-sonnet-4", 200_000],
  ["claude-opus-4", 200_000],
];

/** The window of `provider:model`: declared first, then the table (exact name, or name plus a date). */
export function contextWindow(provider: string, model: string, declared: Record<string, number> = {}): number | undefined {
  const own = declared[`${provider}:${model}`] ?? declared[model];
  if (own !== undefined) return own;
  for (const [prefix, tokens] of KNOWN) {
    if (model === prefix || model.startsWith(`${prefix}-`)) {
      // "gpt-5" must not claim "gpt-5.4", and "gpt-4.1" not "gpt-4.10": only a suffix after a dash.
      const rest = model.slice(prefix.length);
      if (rest === "" || /^-(mini|nano|\d{4}-\d{2}-\d{2}|\d{8}|latest)(-\d{4}-\d{2}-\d{2}|-\d{8})?$/.test(rest)) return tokens;
    }
  }
  return undefined;
}
