// Whether a call ended the way an outage ends it: every model of the chain failed, and every
// attempt failed transiently (unavailable behind an open breaker or a cooldown, rate-limited,
// timed out, refused, a 5xx). Such a job waits and runs again; anything else (an invalid
// output, a 400 or 401, a budget, no provider) is the call's own answer and ends the job.
import type { CallRecord } from "../contract/records.js";

const TRANSIENT = new Set(["rate_limit", "timeout", "connection", "server", "overloaded"]);

export function endedByOutage(record: Pick<CallRecord, "errorCode" | "attempts">): boolean {
  if (record.errorCode !== "E_ALL_MODELS_FAILED" || !record.attempts.length) return false;
  return record.attempts.every((a) => a.outcome === "unavailable" || (a.outcome === "transport_error" && TRANSIENT.has(a.errorKind ?? "")));
}
