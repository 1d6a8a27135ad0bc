// How long to wait before the next attempt: exponential backoff with full jitter, raised to
// what the provider asked for (Retry-After), and never past the call's deadline.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  multiplier: number;
}

/**
 * The delay before attempt `attempt + 1` (attempt counts from 1), or undefined when waiting
 * would pass the deadline: then this model has no time left and the chain moves on.
 */
export function nextDelay(
  attempt: number,
  policy: BackoffPolicy,
  options: { retryAfterMs?: number | undefined; remainingMs?: number | undefined; random?: () => number } = {},
): number | undefined {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** Math.max(0, attempt - 1));
  // Full jitter (AWS architecture blog): uniform in [0, ceiling]. Spreads retries of many callers.
  let delay = (options.random ?? Math.random)() * ceiling;
  if (options.retryAfterMs !== undefined) delay = Math.max(delay, options.retryAfterMs);
  if (options.remainingMs !== undefined && delay >= options.remainingMs) return undefined;
  return Math.round(delay);
}
