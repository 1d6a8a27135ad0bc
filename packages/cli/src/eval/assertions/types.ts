// What an assertion sees and what it says.
import type { AssertionIR } from "@promptc/core";
import type { CallRecord } from "@promptc/runtime";
import type { Embedder } from "@promptc/runtime/stores";

export interface AssertionResult {
  pass: boolean;
  /** 0..1: how close it came (1 for a pass of an all-or-nothing check). */
  score: number;
  /** What was found, in words a person can act on. */
  reason: string;
}

export interface JudgeVerdict {
  pass: boolean;
  score: number | null;
  reason: string;
  costUsd: number;
}

export interface AssertionContext {
  input: unknown;
  output: unknown;
  record: CallRecord;
  /** The output passed the prompt's output schema and came from a model (not the declared fallback). */
  schemaValid: boolean;
  /** Cost of this call in USD. */
  costUsd: number;
  /** Latency of this call in ms (in replay: as recorded). */
  latencyMs: number;
  expected: unknown;
  embedder: Embedder;
  judge(promptId: string, fields: { output: string; input: string; criteria?: string; expected?: string }): Promise<JudgeVerdict>;
}

export type Check = (a: AssertionIR, target: unknown, ctx: AssertionContext) => AssertionResult | Promise<AssertionResult>;

export const yes = (reason: string, score = 1): AssertionResult => ({ pass: true, score, reason });
export const no = (reason: string, score = 0): AssertionResult => ({ pass: false, score, reason });

/** A value as it should appear in a reason: short, JSON. */
export function show(value: unknown, max = 80): string {
  const s = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `summary`, `items.0.name`, or "the output". */
export const where = (a: AssertionIR): string => (a.path.length ? `\`${a.path.join(".")}\`` : "the output");
