// After a failed attempt: retry this model (after how long), move to the next model, or stop
// because the caller aborted. Pure: the call loop records the attempt and does the waiting.
import type { TransportError } from "../errors/transport-error.js";
import { nextDelay, type BackoffPolicy } from "./backoff.js";

export type RetryDecision = { action: "retry"; delayMs: number } | { action: "next-model" } | { action: "aborted" };

export interface RetryContext {
  /** The attempt that failed, counting from 1. */
  attempt: number;
  /** Attempts the prompt allows per model. */
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Time left before the call's deadline (Infinity without one). */
  remainingMs: number;
  /** The caller's signal has aborted. */
  callerAborted: boolean;
  random?: (() => number) | undefined;
}

export function retryDecision(error: TransportError, ctx: RetryContext): RetryDecision {
  if (error.kind === "aborted" || ctx.callerAborted) return { action: "aborted" };
  if (!error.retryable || ctx.attempt >= ctx.maxAttempts) return { action: "next-model" };
  const delayMs = nextDelay(ctx.attempt, ctx.backoff, { retryAfterMs: error.retryAfterMs, remainingMs: ctx.remainingMs, random: ctx.random });
  // Waiting would pass the deadline: try the next model now.
  return delayMs === undefined ? { action: "next-model" } : { action: "retry", delayMs };
}
