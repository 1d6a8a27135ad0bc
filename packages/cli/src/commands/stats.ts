// promptc stats --records <calls.jsonl>: per prompt and version, what production saw. A
// regression shows up as a version whose numbers moved from the one before it.
import { existsSync } from "node:fs";
import type { ReviewItem } from "@promptc/runtime/reviews";
import type { Io } from "../io.js";
import { openReviews, reviewsPath } from "../review-store.js";
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

export async function runStats(io: Io, opts: { records?: string; reviews?: string | boolean; json?: boolean }): Promise<number> {
  if (!opts.records && opts.reviews === undefined) {
    io.stderr.write("promptc stats: --records <calls.jsonl> (the call records to summarise, JsonlFileSink) or --reviews [file.sqlite] (the review store) is required\n");
    return EXIT.USAGE;
  }
  let rows: StatsRow[] | undefined;
  if (opts.records) {
    const file = readRecordsFile(opts.records, io.cwd);
    if (!file.ok) {
      io.stderr.write(`promptc stats: ${file.message}\n`);
      return file.usage ? EXIT.USAGE : EXIT.ERRORS;
    }
    rows = statsOf(file.calls, file.feedback);
  }
  let reviewRows: ReviewStatsRow[] | undefined;
  if (opts.reviews !== undefined) {
    const path = await reviewsPath(io, typeof opts.reviews === "string" ? opts.reviews : undefined);
    if (!existsSync(path)) {
      io.stderr.write(`promptc stats: no review store at ${path}: name it, --reviews <file.sqlite>, or set PROMPTC_REVIEWS_DB\n`);
      return EXIT.USAGE;
    }
    const reviews = await openReviews(path);
    try {
      reviewRows = reviewStatsOf(await reviews.list({ limit: 1_000_000 }), rows);
    } finally {
      await reviews.store.close();
    }
  }
  if (opts.json) io.stdout.write(JSON.stringify({ ...(rows ? { prompts: rows } : {}), ...(reviewRows ? { reviews: reviewRows } : {}) }, null, 2) + "\n");
  else io.stdout.write([rows ? formatStats(rows) : "", reviewRows ? formatReviewStats(reviewRows) : ""].filter(Boolean).join("\n"));
  return EXIT.OK;
}

/** Per prompt and version: how often review was needed (with call records), and how people decided. */
export interface ReviewStatsRow {
  prompt: string;
  version: number;
  reviews: number;
  /** Reviews per call of the version, when call records were given. */
  neededRate: number | null;
  approved: number;
  edited: number;
  rejected: number;
  timedOut: number;
  pending: number;
}

export function reviewStatsOf(items: ReviewItem[], calls: StatsRow[] | undefined): ReviewStatsRow[] {
  const groups = new Map<string, ReviewItem[]>();
  for (const i of items) {
    const key = `${i.promptId}\u0000${i.version}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const rows: ReviewStatsRow[] = [];
  for (const [key, xs] of groups) {
    const [prompt, version] = key.split("\u0000") as [string, string];
    const count = (s: string) => xs.filter((i) => i.status === s).length;
    const called = calls?.find((c) => c.prompt === prompt && c.version === Number(version))?.calls;
    rows.push({
      prompt, version: Number(version), reviews: xs.length, neededRate: called ? xs.length / called : null,
      approved: count("approved"), edited: count("edited"), rejected: count("rejected"), timedOut: count("timed_out"), pending: count("pending"),
    });
  }
  return rows.sort((a, b) => (a.prompt === b.prompt ? a.version - b.version : a.prompt < b.prompt ? -1 : 1));
}

export function formatReviewStats(rows: ReviewStatsRow[]): string {
  const header = ["prompt", "version", "reviews", "needed", "approved", "edited", "rejected", "timed out", "pending"];
  const share = (n: number, r: ReviewStatsRow) => `${n} (${pct(r.reviews ? n / r.reviews : 0)})`;
  const body = rows.map((r) => [
    r.prompt, String(r.version), String(r.reviews), r.neededRate === null ? "-" : pct(r.neededRate),
    share(r.approved, r), share(r.edited, r), share(r.rejected, r), share(r.timedOut, r), String(r.pending),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return ["Human review", line(header), ...body.map(line), ""].join("\n");
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
