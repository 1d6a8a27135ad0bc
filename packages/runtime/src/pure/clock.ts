// When a call began: one tiny module, so that Runtime can take the time before it loads the
// call loop, and the loop can default to it when called directly.

/**
 * When a call began, taken before anything it waits for (loading the engine and its
 * validators on a first call), so its deadline and latency count that wait too.
 */
export interface CallStart {
  /** Date.now() */
  at: number;
  /** performance.now() */
  t0: number;
}

export const callStart = (): CallStart => ({ at: Date.now(), t0: performance.now() });
