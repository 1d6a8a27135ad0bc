// promptc cost --volume <calls per day> --records <calls.jsonl>: what each prompt will cost a
// month, at the p50 and p95 token counts its call records show, for every model of its chain.
import type { Io } from "../io.js";
import type { ProjectBuilder } from "@promptc/core";
import { costUsd } from "@promptc/runtime";
import { EXIT, printDiagnostics } from "../output.js";
import { modelPrice } from "../model-price.js";
import { quantile as p, readRecordsFile } from "../records-file.js";

export interface CostRow {
  prompt: string;
  version: number;
  /** Which version's records the figures come from ("all" when the current one has none). */
  recordsOf: number | "all";
  calls: number;
  cacheHitRate: number;
  tokens: { p50: { input: number; output: number }; p95: { input: number; output: number } };
  models: { model: string; perCallUsd: { p50: number; p95: number } | null; monthlyUsd: { p50: number; p95: number } | null }[];
}

const DAYS_PER_MONTH = 30;

export function runCost(io: Io, builder: ProjectBuilder, opts: { volume?: string; records?: string; json?: boolean }): number {
  const volume = Number(opts.volume);
  if (!opts.volume || !Number.isFinite(volume) || volume <= 0) {
    io.stderr.write(`promptc cost: --volume must be a positive number of calls per day, got ${opts.volume ?? "nothing"}\n`);
    return EXIT.USAGE;
  }
  if (!opts.records) {
    io.stderr.write("promptc cost: --records <calls.jsonl> is required: the call records to take token counts from (JsonlFileSink)\n");
    return EXIT.USAGE;
  }
  const file = readRecordsFile(opts.records, io.cwd);
  if (!file.ok) {
    io.stderr.write(`promptc cost: ${file.message}${file.usage ? "" : "; nothing was projected"}\n`);
    return file.usage ? EXIT.USAGE : EXIT.ERRORS;
  }
  const records = file.calls;

  const result = builder.build({ dryRun: true });
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return EXIT.ERRORS;

  const rows: CostRow[] = [];
  for (const { ir } of [...result.prompts].sort((a, b) => (a.ir.id < b.ir.id ? -1 : 1))) {
    const mine = records.filter((r) => r.promptId === ir.id);
    const current = mine.filter((r) => r.version === ir.version);
    const used = current.length ? current : mine;
    // Cache hits cost nothing: the projection counts them by their rate, not in the token percentiles.
    const answered = used.filter((r) => !r.cache);
    const hitRate = used.length ? (used.length - answered.length) / used.length : 0;
    const tokens = {
      p50: { input: p(answered.map((r) => r.inputTokens), 0.5), output: p(answered.map((r) => r.outputTokens), 0.5) },
      p95: { input: p(answered.map((r) => r.inputTokens), 0.95), output: p(answered.map((r) => r.outputTokens), 0.95) },
    };
    const models = ir.model.chain.map((t) => {
      const price = modelPrice(ir, t);
      const model = `${t.provider}:${t.model}`;
      if (!price || !answered.length) return { model, perCallUsd: null, monthlyUsd: null };
      const perCall = { p50: costUsd(price, { inputTokens: tokens.p50.input, outputTokens: tokens.p50.output }), p95: costUsd(price, { inputTokens: tokens.p95.input, outputTokens: tokens.p95.output }) };
      const month = volume * DAYS_PER_MONTH * (1 - hitRate);
      return { model, perCallUsd: perCall, monthlyUsd: { p50: perCall.p50 * month, p95: perCall.p95 * month } };
    });
    rows.push({ prompt: ir.id, version: ir.version, recordsOf: current.length || !mine.length ? ir.version : "all", calls: used.length, cacheHitRate: hitRate, tokens, models });
  }

  if (opts.json) {
    io.stdout.write(JSON.stringify({ volumePerDay: volume, daysPerMonth: DAYS_PER_MONTH, prompts: rows }, null, 2) + "\n");
    return EXIT.OK;
  }
  io.stdout.write(formatCostTable(rows, volume));
  return EXIT.OK;
}

const usd = (n: number) => (n >= 100 ? `$${Math.round(n).toLocaleString("en-US")}` : `$${n.toFixed(2)}`);

export function formatCostTable(rows: CostRow[], volume: number): string {
  const header = ["prompt", "version", "calls", "cache hits", "tokens in/out p50", "p95", "model", "per month p50", "p95"];
  const body: string[][] = [];
  for (const r of rows) {
    const head = [r.prompt, r.recordsOf === "all" ? `${r.version} (records: all versions)` : String(r.version), String(r.calls), `${Math.round(r.cacheHitRate * 100)}%`,
      r.calls ? `${r.tokens.p50.input}/${r.tokens.p50.output}` : "no call records", r.calls ? `${r.tokens.p95.input}/${r.tokens.p95.output}` : ""];
    r.models.forEach((m, i) => body.push([...(i === 0 ? head : head.map(() => "")), m.model, m.monthlyUsd ? usd(m.monthlyUsd.p50) : r.calls ? "no price" : "", m.monthlyUsd ? usd(m.monthlyUsd.p95) : ""]));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [
    `Projected monthly cost at ${volume.toLocaleString("en-US")} calls a day (${DAYS_PER_MONTH} days), per model of each prompt's chain, at the p50 and p95 tokens of its call records;`,
    "cache hits are counted at their rate and cost nothing.",
    "",
    line(header),
    ...body.map(line),
    "",
  ].join("\n");
}
