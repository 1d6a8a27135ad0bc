// Building a call's record: its start, each attempt, and what each attempt's usage adds to it.
import type { ModelTarget, PromptMeta } from "../contract/prompt.js";
import type { ProviderResponse } from "../contract/provider.js";
import type { ModelPrice } from "../contract/price.js";
import type { AttemptRecord, CallRecord } from "../contract/records.js";
import { costUsd } from "../cost/prices.js";
import { newCallId } from "./sinks.js";

export function newRecord(meta: PromptMeta, at: number): CallRecord {
  return {
    callId: newCallId(), startedAt: new Date(at).toISOString(), promptId: meta.id, version: meta.version, hash: meta.hash, tier: meta.model.tier,
    requestedModel: meta.model.chain[0] ?? "", answeredModel: null, provider: null, attempts: [], reasks: 0, fallback: null,
    inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: 0, cache: null, user: null, feature: null, latencyMs: 0, timeToFirstChunkMs: null, valid: false, errorCode: null,
  };
}

export function attemptRecord(target: ModelTarget, outcome: AttemptRecord["outcome"], latencyMs: number, reask = false): AttemptRecord {
  return { provider: target.provider, model: target.model, outcome, reask, latencyMs: Math.round(latencyMs), inputTokens: 0, outputTokens: 0, costUsd: null };
}

export type AttemptTokens = Pick<AttemptRecord, "inputTokens" | "outputTokens" | "cachedInputTokens" | "cacheWriteTokens">;

/** An attempt's tokens for its record: the cache fields only when the provider reported some. */
function tokensOf(response: ProviderResponse): AttemptTokens {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens = 0, cacheWrite1hTokens = 0 } = response.usage;
  const written = cacheWriteTokens + cacheWrite1hTokens;
  return { inputTokens, outputTokens, ...(cachedInputTokens ? { cachedInputTokens } : {}), ...(written ? { cacheWriteTokens: written } : {}) };
}

/** Adds an answered attempt's tokens and cost to the call's record; cost null when the model has no price. */
export function chargeAnswer(record: CallRecord, price: ModelPrice | undefined, response: ProviderResponse): { cost: number | null; tokens: AttemptTokens } {
  const tokens = tokensOf(response);
  record.inputTokens += tokens.inputTokens;
  record.outputTokens += tokens.outputTokens;
  record.cachedInputTokens += tokens.cachedInputTokens ?? 0;
  record.cacheWriteTokens += tokens.cacheWriteTokens ?? 0;
  if (!price) return { cost: null, tokens };
  const cost = costUsd(price, response.usage);
  record.costUsd += cost;
  return { cost, tokens };
}

/** A failed attempt's assumed cost (see failedAttemptNanos), on its attempt record (the last) and the call's. */
export function chargeFailure(record: CallRecord, price: ModelPrice | undefined, nanos: number): void {
  const last = record.attempts[record.attempts.length - 1];
  if (!price || !last) return;
  last.costUsd = nanos / 1e9;
  record.costUsd += nanos / 1e9;
}
