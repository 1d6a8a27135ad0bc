// Retry timing and per-model circuit breakers, for the runtime's one retry loop.
export { nextDelay, type BackoffPolicy } from "./backoff.js";
export { ModelBreakers, ModelUnavailableError, countsAgainstModel, type BreakerOptions } from "./breakers.js";
