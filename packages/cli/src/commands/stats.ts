// promptc stats --records <calls.jsonl>: per prompt and version, what production saw. A
// regression shows up as a version whose numbers moved from the one before it.
import type { Io } from "../io.js";
import { EXIT } from "../output.js";
import { quantile, readRecordsFile, type CallLine } from "../records-file.js";

export interface StatsRow {
  prompt: string;
  version: number;
  calls: number;
  validRate: number;
  reaskRate: number;
  fallbackRate: number;
  cacheHitRate: number;
  errorRate: number;
  latencyMs: { p50: number; p95: number };
  tokens: { input: number; output: number };
  costUsd: { total: number; perCall: number };
  feedback: { count: number; meanScore: number | null };
}

export function runStats(io: Io, opts: { records?: string; json?: boolean }): number {
  if (!opts.records) {
    io.stderr.write("promptc stats: --records <calls.jsonl> is required: the call records to summarise (JsonlFileSink)\n");
    return EXIT.USAGE;
  }
  const file = readRecordsFile(opts.records, io.cwd);
  if (!file.ok) {
    io.stderr.write(`promptc stats: ${file.message}\n`);
    return file.usage ? EXIT.USAGE : EXIT.ERRORS;
  }
  const rows = statsOf(file.calls, file.feedback);
  io.stdout.write(opts.json ? JSON.stringify({ prompts: rows }, null, 2) + "\n" : formatStats(rows));
  return EXIT.OK;
}

export function statsOf(calls: CallLine[], feedback: { callId: string; score: number }[]): StatsRow[] {
  const scores = new Map<string, number[]>();
  for (const f of feedback) scores.set(f.callId, [...(scores.get(f.callId) ?? []), f.score]);
  const groups = new Map<string, CallLine[]>();
  for (const c of calls) {
    const key = `${c.promptId}\u0000${c.version}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const rate = (xs: CallLine[], f: (c: CallLine) => boolean) => (xs.length ? xs.filter(f).length / xs.length : 0);
  const rows: StatsRow[] = [];
  for (const [key, xs] of groups) {
    const [prompt, version] = key.split("\u0000") as [string, string];
    const answered = xs.filter((c) => !c.cache);
    const cost = xs.reduce((s, c) => s + (c.costUsd ?? 0), 0);
    const fb = xs.flatMap((c) => (c.callId ? scores.get(c.callId) ?? [] : []));
    rows.push({
      prompt,
      version: Number(version),
      calls: xs.length,
      validRate: rate(xs, (c) => c.valid === true && !c.fallback),
      reaskRate: rate(answered, (c) => (c.reasks ?? 0) > 0),
      fallbackRate: rate(xs, (c) => !!c.fallback),
      cacheHitRate: rate(xs, (c) => !!c.cache),
      errorRate: rate(xs, (c) => !!c.errorCode && !c.fallback),
      latencyMs: { p50: quantile(xs.map((c) => c.latencyMs ?? 0), 0.5), p95: quantile(xs.map((c) => c.latencyMs ?? 0), 0.95) },
      tokens: { input: quantile(answered.map((c) => c.inputTokens), 0.5), output: quantile(answered.map((c) => c.outputTokens), 0.5) },
      costUsd: { total: cost, perCall: xs.length ? cost / xs.length : 0 },
      feedback: { count: fb.length, meanScore: fb.length ? fb.reduce((a, b) => a + b, 0) / fb.length : null },
    });
  }
  return rows.sort((a, b) => (a.prompt === b.prompt ? a.version - b.version : a.prompt < b.prompt ? -1 : 1));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatStats(rows: StatsRow[]): string {
  const header = ["prompt", "version", "calls", "valid", "re-ask", "fallback", "errors", "cache hits", "latency p50/p95", "tokens in/out p50", "cost/call", "feedback"];
  const body = rows.map((r) => [
    r.prompt, String(r.version), String(r.calls), pct(r.validRate), pct(r.reaskRate), pct(r.fallbackRate), pct(r.errorRate), pct(r.cacheHitRate),
    `${r.latencyMs.p50}/${r.latencyMs.p95} ms`, `${r.tokens.input}/${r.tokens.output}`, `$${r.costUsd.perCall.toFixed(6)}`,
    r.feedback.meanScore === null ? "-" : `${r.feedback.meanScore.toFixed(2)} (${r.feedback.count})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...body.map(line), ""].join("\n");
}
