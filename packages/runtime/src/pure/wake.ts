// A pause that ends early: after `ms`, when `emitter` emits `event` with a value `matches`
// accepts, or when the signal aborts. What jobs.wait and reviews.wait sleep on between looks at
// their store: an end in this process wakes them at once, one elsewhere is seen at the next look.
import type { EventEmitter } from "node:events";

export function pauseUntil<T>(emitter: EventEmitter, event: string, matches: (value: T) => boolean, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const onEvent = (value: T) => matches(value) && done();
    const timer = setTimeout(done, Math.max(1, ms));
    emitter.on(event, onEvent);
    signal?.addEventListener("abort", done, { once: true });
  });
}
