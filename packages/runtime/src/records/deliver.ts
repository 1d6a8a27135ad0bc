// Hands records to sinks: the one delivery loop for call records and feedback. A failing sink,
// by throwing or by rejecting, never fails the call or the caller it records.
import type { CallRecord, CallSink, FeedbackRecord } from "../contract/records.js";

export function deliverRecord(sinks: readonly CallSink[], record: CallRecord): void {
  for (const sink of sinks) settle(sink, "write", record);
}

export function deliverFeedback(sinks: readonly CallSink[], record: FeedbackRecord): void {
  for (const sink of sinks) settle(sink, "feedback", record);
}

function settle<M extends "write" | "feedback">(sink: CallSink, method: M, record: Parameters<NonNullable<CallSink[M]>>[0]): void {
  try {
    const pending = (sink[method] as ((r: typeof record) => void | Promise<void>) | undefined)?.call(sink, record);
    if (pending) pending.catch(() => {});
  } catch {
    /* ignored on purpose */
  }
}
