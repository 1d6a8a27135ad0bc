import { describe, expect, it } from "vitest";
import type { CallRecord } from "../contract/records.js";
import { MemorySink } from "./sinks.js";

const record = (n: number) => ({ callId: String(n) }) as CallRecord;

describe("MemorySink", () => {
  it.each([
    { limit: 3, writes: 2, kept: ["0", "1"] },
    { limit: 3, writes: 3, kept: ["0", "1", "2"] },
    { limit: 3, writes: 4, kept: ["1", "2", "3"] },
    { limit: 3, writes: 7, kept: ["4", "5", "6"] },
    { limit: 1, writes: 5, kept: ["4"] },
  ])("keeps the latest $limit of $writes records, oldest first", ({ limit, writes, kept }) => {
    const sink = new MemorySink(limit);
    for (let i = 0; i < writes; i++) sink.write(record(i));
    expect(sink.records.map((r) => r.callId)).toEqual(kept);
  });

  it("hands out a copy, so a caller cannot corrupt the buffer", () => {
    const sink = new MemorySink(2);
    sink.write(record(0));
    sink.records.length = 0;
    expect(sink.records).toHaveLength(1);
  });

  it("refuses a limit below one", () => {
    expect(() => new MemorySink(0)).toThrow(/at least 1/);
  });
});

describe("feedback", () => {
  it("reaches every sink that takes it, and refuses a bad score", async () => {
    const { Runtime } = await import("../runtime.js");
    const lines: unknown[] = [];
    const rt = new Runtime({ sinks: [{ write: () => {} }, { write: () => {}, feedback: (f) => void lines.push(f) }] });
    rt.feedback("call-1", 0.5, "close");
    expect(rt.memory.feedbackRecords).toEqual([{ type: "feedback", callId: "call-1", score: 0.5, note: "close", at: expect.any(String) }]);
    expect(lines).toHaveLength(1);
    expect(() => rt.feedback("call-1", Number.NaN)).toThrow(/finite number/);
    expect(() => rt.feedback("", 1)).toThrow(/callId/);
  });
});
