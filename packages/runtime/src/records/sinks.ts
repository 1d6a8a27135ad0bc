// A record of every call: enough to trace an output to the prompt version, model and attempts
// that produced it. Delivered to pluggable sinks; never holds keys.
import { appendFile } from "node:fs/promises";
import type { CallRecord, CallSink, FeedbackRecord } from "../contract/records.js";


// The Web Crypto global, not node:crypto: importing node:crypto costs ~6 ms at load.
export const newCallId = (): string => globalThis.crypto.randomUUID();

/**
 * Keeps the latest `limit` records in memory (the default sink). A ring buffer: once full, each
 * write replaces the oldest record in O(1), where shifting an array would move all of them.
 */
export class MemorySink implements CallSink {
  private readonly ring: CallRecord[] = [];
  private next = 0;
  constructor(private readonly limit = 10_000) {
    if (!(limit >= 1)) throw new RangeError(`MemorySink limit must be at least 1, got ${limit}`);
  }
  write(record: CallRecord): void {
    if (this.ring.length < this.limit) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % this.limit;
  }
  /** The records kept, oldest first (a copy). */
  get records(): CallRecord[] {
    return this.ring.length < this.limit ? this.ring.slice() : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
  /** Feedback received, oldest first (the latest `limit`). */
  readonly feedbackRecords: FeedbackRecord[] = [];
  feedback(record: FeedbackRecord): void {
    this.feedbackRecords.push(record);
    if (this.feedbackRecords.length > this.limit) this.feedbackRecords.shift();
  }
}

/** Appends records as JSON Lines; `flush()` waits for pending writes. */
export class JsonlFileSink implements CallSink {
  private pending: Promise<void> = Promise.resolve();
  constructor(readonly path: string) {}
  write(record: CallRecord | FeedbackRecord): Promise<void> {
    const line = JSON.stringify(record) + "\n";
    // Appends are chained so lines never interleave.
    this.pending = this.pending.then(() => appendFile(this.path, line));
    return this.pending;
  }
  /** Feedback goes into the same file, as `{"type":"feedback",…}` lines. */
  feedback(record: FeedbackRecord): Promise<void> {
    return this.write(record);
  }
  flush(): Promise<void> {
    return this.pending;
  }
}
