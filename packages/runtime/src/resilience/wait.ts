// Waiting between attempts, and one attempt's time limit: both end early on the caller's abort.
/** Waits `ms`; false when the caller aborted first. `sleep` replaces the timer (tests). */
export function wait(ms: number, signal: AbortSignal | undefined, sleep?: (ms: number, signal?: AbortSignal) => Promise<void>): Promise<boolean> {
  if (sleep) return sleep(ms, signal).then(() => !signal?.aborted);
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface AttemptSignal {
  signal: AbortSignal | undefined;
  dispose(): void;
}

/** No signal: an adapter that keeps to its timeout itself, and no caller signal to pass on. */
export const NO_SIGNAL: AttemptSignal = { signal: undefined, dispose() {} };

/**
 * One attempt's signal: aborts on the caller's signal or after `ms` (a TimeoutError, as
 * AbortSignal.timeout gives); with `ms` null, on the caller's signal only. A plain timer cleared
 * when the attempt ends: AbortSignal.timeout and AbortSignal.any cost several microseconds per
 * call in weak references and timers left behind.
 */
export function attemptSignal(ms: number | null, caller: AbortSignal | undefined): AttemptSignal {
  // Not the caller's signal itself: the SDKs never remove the listener they add to a signal, so a
  // long-lived one (a server's shutdown signal) would collect one per call.
  const controller = new AbortController();
  if (caller?.aborted) controller.abort(caller.reason);
  const onCallerAbort = () => controller.abort(caller!.reason);
  caller?.addEventListener("abort", onCallerAbort, { once: true });
  const timer = ms === null ? undefined : setTimeout(() => controller.abort(new DOMException("the attempt timed out", "TimeoutError")), ms);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    },
  };
}
