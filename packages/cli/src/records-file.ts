// Reading a JSON Lines file of call records (JsonlFileSink): call records and feedback lines.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export interface CallLine {
  callId?: string;
  promptId: string;
  version: number;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  cache?: string | null;
  valid?: boolean;
  reasks?: number;
  fallback?: string | null;
  latencyMs?: number;
  errorCode?: string | null;
}

interface FeedbackLine {
  type: "feedback";
  callId: string;
  score: number;
}

export type RecordsFile = { ok: true; calls: CallLine[]; feedback: FeedbackLine[] } | { ok: false; message: string; usage: boolean };

/** Reads the file; a line that is not a record names its line number, and nothing is returned. */
/** Reads `path` (relative to `cwd`); messages name it as given. */
export function readRecordsFile(path: string, cwd: string): RecordsFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch (e) {
    return { ok: false, usage: true, message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const calls: CallLine[] = [];
  const feedback: FeedbackLine[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch (e) {
      return { ok: false, usage: false, message: `${path}:${i + 1}: not a JSON call record (${(e as Error).message})` };
    }
    const rec = r as Partial<CallLine & FeedbackLine>;
    if (rec.type === "feedback") {
      if (typeof rec.callId !== "string" || typeof rec.score !== "number") return { ok: false, usage: false, message: `${path}:${i + 1}: a feedback line needs callId and a numeric score` };
      feedback.push(rec as FeedbackLine);
      continue;
    }
    if (typeof rec.promptId !== "string" || typeof rec.version !== "number" || typeof rec.inputTokens !== "number" || typeof rec.outputTokens !== "number") {
      return { ok: false, usage: false, message: `${path}:${i + 1}: a call record needs promptId, version, inputTokens and outputTokens` };
    }
    calls.push(rec as CallLine);
  }
  return { ok: true, calls, feedback };
}

/** The q-quantile (nearest rank) of a list; 0 for an empty one. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
