// Budgets: before every attempt the worst case is reserved (input tokens bounded from above
// plus max_tokens, at the model's price) against every budget the call is charged to; after
// it, the reservation is settled to what the attempt cost. A reservation that would pass a
// budget is refused, so no budget is overspent, whatever the concurrency (docs/runtime.md).
import { worstInputRate, type ModelPrice } from "../cost/prices.js";
import type { BudgetCharge, Store } from "../contract/store.js";
import { toNanos } from "../pure/money.js";
import type { BudgetPolicy, CallSettings, PromptMeta } from "../contract/prompt.js";
import type { BudgetAlert } from "../contract/runtime.js";

export type { BudgetAlert };


/** What one call is charged against, and its own ceiling. */
export interface CallBudget {
  charges: BudgetCharge[];
  /** Nano-dollars this call may spend in all, or Infinity. */
  perCallNanos: number;
  spentNanos: number;
  policy: BudgetPolicy;
  /** A job's call: its reservations are held under the job id (contract/store.ts Hold); `token` is the one standing. */
  hold?: { owner: string; token?: string };
}

const DAY_MS = 86_400_000;

/** The budgets a call is charged to, from the prompt's policy and the call's user and feature. */
export function budgetFor(meta: PromptMeta, options: CallSettings, now = new Date()): CallBudget | null {
  const policy = meta.policies.budget;
  if (!policy) return null;
  const day = now.toISOString().slice(0, 10);
  const month = day.slice(0, 7);
  const charges: BudgetCharge[] = [];
  const add = (key: string, usd: number | null, windowMs: number) => {
    if (usd === null) return;
    const limitNanos = toNanos(usd);
    // The key outlives its window by a day, so a late settlement still finds it.
    charges.push({ key, limitNanos, alertNanos: Math.ceil(limitNanos * policy.alertAt), ttlMs: windowMs + DAY_MS });
  };
  const feature = options.feature ?? policy.feature;
  // Calls that name no user share one day's budget, rather than escaping it.
  add(`budget:user:${options.user ?? "(none)"}:day:${day}`, policy.perUserPerDayUsd, DAY_MS);
  if (feature) add(`budget:feature:${feature}:month:${month}`, policy.perFeaturePerMonthUsd, 31 * DAY_MS);
  add(`budget:prompt:${meta.id}:day:${day}`, policy.perPromptPerDayUsd, DAY_MS);
  add(`budget:prompt:${meta.id}:month:${month}`, policy.perPromptPerMonthUsd, 31 * DAY_MS);
  return {
    charges, perCallNanos: policy.perCallUsd === null ? Infinity : toNanos(policy.perCallUsd), spentNanos: 0, policy,
    ...(options.jobId !== undefined ? { hold: { owner: `job:${options.jobId}` } } : {}),
  };
}

/**
 * The most one attempt can cost: every input token (bounded from above) and all of max_tokens,
 * at the long-context rates past a model's threshold and the cache-write rate where a provider
 * writes unasked.
 */
export function worstCaseNanos(price: ModelPrice | undefined, inputTokensBound: number, maxTokens: number): number {
  if (!price) return 0; // an unpriced model (a local server) is not charged
  const rate = worstInputRate(price, inputTokensBound);
  return toNanos((inputTokensBound * rate.input + maxTokens * rate.output) / 1_000_000);
}

/** What a failed attempt that may have been billed is taken to cost: its input, bounded from above, at the worst input rate. */
export function failedAttemptNanos(price: ModelPrice | undefined, inputTokensBound: number): number {
  if (!price) return 0;
  return toNanos((inputTokensBound * worstInputRate(price, inputTokensBound).input) / 1_000_000);
}

export type Reservation = { ok: true; nanos: number } | { ok: false; key: string; limitUsd: number; spentUsd: number };

/** Reserves an attempt's worst case against the call's ceiling and every budget in the store. */
export async function reserve(store: Store, budget: CallBudget, nanos: number, onAlert: (keys: string[]) => void): Promise<Reservation> {
  if (budget.spentNanos + nanos > budget.perCallNanos) {
    return { ok: false, key: "per call", limitUsd: budget.perCallNanos / 1e9, spentUsd: budget.spentNanos / 1e9 };
  }
  if (!budget.charges.length || nanos === 0) {
    budget.spentNanos += nanos;
    return { ok: true, nanos };
  }
  const hold = budget.hold && { owner: budget.hold.owner, token: globalThis.crypto.randomUUID() };
  const r = await store.reserve(budget.charges, nanos, hold);
  if (!r.ok) return { ok: false, key: r.key, limitUsd: r.limitNanos / 1e9, spentUsd: r.spentNanos / 1e9 };
  if (hold) budget.hold!.token = hold.token;
  budget.spentNanos += nanos;
  if (r.alerts.length) onAlert(r.alerts);
  return { ok: true, nanos };
}

/** Settles a reservation to the attempt's actual cost, above the reservation too. */
export async function settle(store: Store, budget: CallBudget, reservedNanos: number, actualNanos: number, onAlert: (keys: string[]) => void): Promise<void> {
  const delta = actualNanos - reservedNanos;
  budget.spentNanos += delta;
  const token = budget.hold?.token;
  if (!budget.charges.length || (delta === 0 && token === undefined)) return;
  if (token !== undefined) delete budget.hold!.token;
  const alerts = await store.settle(budget.charges, delta, token === undefined ? undefined : { owner: budget.hold!.owner, token, reservedNanos });
  if (alerts.length) onAlert(alerts);
}
