// A call's budget around each attempt: reserve the worst case before it is sent, settle to what
// it cost after, and tell the app when a budget crosses its alert fraction.
import type { Message, PromptMeta } from "../contract/prompt.js";
import type { ModelPrice } from "../contract/price.js";
import type { BudgetAlert } from "../contract/runtime.js";
import type { Store } from "../contract/store.js";
import { countOpenAI, upperBound } from "../tokens/count.js";
import { reserve, settle, worstCaseNanos, type CallBudget } from "./budgets.js";

/** Why a reservation was refused: a budget's key and figures, or the store's error. */
export type Refusal = { key: string; limitUsd: number; spentUsd: number; error?: unknown };

export type AttemptReservation = { ok: true; nanos: number } | { ok: false; refusal: Refusal };

export interface AttemptCost {
  price: ModelPrice | undefined;
  messages: readonly Message[];
  /** Input tokens the request carries besides the messages, bounded from above. */
  overhead: number;
  maxTokens: number;
  /** Count exactly with the OpenAI tokenizer when the bound alone would be refused. */
  openaiTokenizer: boolean;
}

/**
 * Reserves the attempt's worst case: everything billed as input (the messages bounded from
 * above by their UTF-8 bytes, since a byte-level BPE never has more tokens than bytes, or
 * counted exactly with the OpenAI tokenizer when the bound alone would be refused; plus the
 * schema, tool and tool prompt the request carries), plus max_tokens.
 */
export async function reserveAttempt(store: Store, budget: CallBudget, cost: AttemptCost, alert: (keys: string[]) => void): Promise<AttemptReservation> {
  try {
    let nanos = worstCaseNanos(cost.price, upperBound(cost.messages) + cost.overhead, cost.maxTokens);
    let r = await reserve(store, budget, nanos, alert);
    if (!r.ok && cost.price && cost.openaiTokenizer) {
      nanos = worstCaseNanos(cost.price, (await countOpenAI(cost.messages)) + cost.overhead, cost.maxTokens);
      r = await reserve(store, budget, nanos, alert);
    }
    if (r.ok) return { ok: true, nanos: r.nanos };
    return { ok: false, refusal: { key: r.key, limitUsd: r.limitUsd, spentUsd: r.spentUsd } };
  } catch (error) {
    return { ok: false, refusal: { key: "store", limitUsd: 0, spentUsd: 0, error } };
  }
}

/** Settles a reservation to the real cost, past the reservation too: the next reservation sees what was billed. */
export async function settleAttempt(store: Store, budget: CallBudget, reservedNanos: number, actualNanos: number, alert: (keys: string[]) => void): Promise<void> {
  try {
    await settle(store, budget, reservedNanos, actualNanos, alert);
  } catch {
    // The store went away after the attempt: the reservation stands, which errs on the safe side.
  }
}

/** Tells the app's handler of each budget key that crossed its alert fraction; a failing handler never fails the call. */
export function alertBudgets(onBudgetAlert: ((alert: BudgetAlert) => void) | undefined, budget: CallBudget, meta: PromptMeta, keys: string[]): void {
  if (!onBudgetAlert) return;
  for (const key of keys) {
    const charge = budget.charges.find((c) => c.key === key);
    try {
      onBudgetAlert({ key, promptId: meta.id, limitUsd: charge ? charge.limitNanos / 1e9 : 0, alertAt: budget.policy.alertAt });
    } catch {
      /* an alert handler's failure must not fail the call */
    }
  }
}
