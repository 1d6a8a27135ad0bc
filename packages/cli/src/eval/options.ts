// The run options `eval` and `bisect` share, from the command line: how many runs per case,
// how many must pass, the pass rate needed, and the calls in flight.
import type { EvalMode } from "./run-evals.js";

export interface RunOptionsText {
  replay?: boolean;
  record?: boolean;
  concurrency?: string;
  repeat?: string;
  minPass?: string;
  threshold?: string;
}

export interface RunOptions {
  mode: EvalMode;
  concurrency: number;
  repeat: number;
  minPass: number;
  threshold: number;
}

/** The options, or what is wrong with them (for a usage error). */
export function parseRunOptions(opts: RunOptionsText): RunOptions | string {
  if (opts.replay && opts.record) return "--replay and --record cannot be used together: record once, then replay";
  const concurrency = wholeNumber(opts.concurrency, "--concurrency", 4);
  if (typeof concurrency === "string") return concurrency;
  const repeat = wholeNumber(opts.repeat, "--repeat", 1);
  if (typeof repeat === "string") return repeat;
  const minPass = wholeNumber(opts.minPass, "--min-pass", repeat);
  if (typeof minPass === "string") return minPass;
  if (minPass > repeat) return `--min-pass ${minPass} is more than --repeat ${repeat}`;
  const threshold = parseRate(opts.threshold ?? "1");
  if (threshold === null) return `--threshold is a pass rate between 0 and 1 (or a percentage like 90%), got \`${opts.threshold}\``;
  return { mode: opts.replay ? "replay" : opts.record ? "record" : "live", concurrency, repeat, minPass, threshold };
}

function wholeNumber(v: string | undefined, flag: string, fallback: number): number | string {
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : `${flag} takes a whole number of at least 1, got \`${v}\``;
}

function parseRate(text: string): number | null {
  const t = text.trim();
  const n = t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
  return t !== "" && Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}
