// The results of an eval run with the verdict on them: what every report format renders.
import type { CaseOutcome, EvalResults } from "../run-evals.js";

export interface EvalReport extends EvalResults {
  /** Pass rate needed. */
  threshold: number;
  /** Pass rate reached it, and no reply was missing from a cassette. */
  ok: boolean;
}

export function verdict(results: EvalResults, threshold: number): EvalReport {
  return { ...results, threshold, ok: results.passRate >= threshold && results.misses.length === 0 };
}

const usd = (n: number): string => (n === 0 ? "$0" : n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(4)}`);
/** A case's cost, or `local` when promptc's local server answered it (it costs nothing). */
export const caseCost = (c: { costUsd: number; local: boolean }): string => (c.local ? "local" : usd(c.costUsd));
export const ms = (n: number): string => `${Math.round(n)} ms`;
export const percent = (r: number): string => `${(r * 100).toFixed(1)}%`;

/** Why a case did not pass: its first failing run's error, or its failing assertions. */
export function failureReasons(c: CaseOutcome): string[] {
  const run = c.runs.find((r) => !r.pass);
  if (!run) return [];
  if (run.error) return [run.error];
  return run.assertions.filter((a) => !a.pass).map((a) => `${a.type}${a.path ? ` ${a.path}` : ""}: ${a.reason}`);
}

export function summaryLine(r: EvalReport): string {
  const { cases, passed, failed, errors } = r.totals;
  return `${passed}/${cases} cases passed (${percent(r.passRate)}, threshold ${percent(r.threshold)})${failed ? `, ${failed} failed` : ""}${errors ? `, ${errors} errors` : ""}; cost ${usd(r.totals.costUsd)}${r.cases.some((c) => c.local) ? " (answered by promptc's local server, not a model)" : ""}; ${r.mode}${r.repeat > 1 ? `, ${r.minPass} of ${r.repeat} runs per case` : ""}`;
}
