// A record of every call: enough to trace an output to the prompt version, model and attempts
// that produced it. Delivered to pluggable sinks; never holds keys.
import { appendFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";

export type AttemptOutcome = "ok" | "transport_error" | "invalid_output" | "unavailable" | "not_configured" | "context_overflow";

export interface AttemptRecord {
  provider: string;
  model: string;
  outcome: AttemptOutcome;
  /** TransportError kind, for transport failures. */
  errorKind?: string;
  status?: number;
  /** This attempt was a re-ask after invalid output. */
  reask: boolean;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /** Why the output was rejected, for invalid_output. */
  issues?: string;
}

export interface CallRecord {
  callId: string;
  startedAt: string;
  promptId: string;
  version: number;
  hash: string;
  tier: string;
  /** First model of the chain, as provider:model. */
  requestedModel: string;
  /** The model that produced the output, as the provider named it; null if none did. */
  answeredModel: string | null;
  provider: string | null;
  attempts: AttemptRecord[];
  reasks: number;
  /** "model": a later model of the chain answered; "value": the declared fallback value was returned. */
  fallback: "model" | "value" | null;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  timeToFirstChunkMs: number | null;
  valid: boolean;
  errorCode: string | null;
}

export interface CallSink {
  write(record: CallRecord): void | Promise<void>;
}

export const newCallId = (): string => randomUUID();

/** Keeps the latest records in memory (the default sink). */
export class MemorySink implements CallSink {
  readonly records: CallRecord[] = [];
  constructor(private readonly limit = 10_000) {}
  write(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }
}

/** Appends records as JSON Lines; `flush()` waits for pending writes. */
export class JsonlFileSink implements CallSink {
  private pending: Promise<void> = Promise.resolve();
  constructor(readonly path: string) {}
  write(record: CallRecord): Promise<void> {
    const line = JSON.stringify(record) + "\n";
    // Appends are chained so lines never interleave.
    this.pending = this.pending.then(() => appendFile(this.path, line));
    return this.pending;
  }
  flush(): Promise<void> {
    return this.pending;
  }
}
