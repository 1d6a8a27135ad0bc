// The Markdown of prompt changes (`promptc diff`, and the changes `promptc bisect` reports): per
// prompt, its version and hash, a diff of its templates, schema changes for callers, model and
// policy changes, what 1,000 calls cost before and after, and eval results before and after.
import { jsonSchemasOf, type PromptDiff, type PromptIR } from "@promptc/core";
import { costUsd, travelsWrapped, wireSchema } from "@promptc/runtime";
import { TOOL_USE_SYSTEM_PROMPT_TOKENS } from "@promptc/runtime/providers";
import { createTwoFilesPatch } from "diff";
import type { EvalResults } from "./eval/run-evals.js";
import { failureReasons } from "./eval/reports/report.js";
import { cellCode, cellText } from "./markdown.js";
import { modelPrice } from "./model-price.js";
import { quantile, type CallLine } from "./records-file.js";

/** A changed prompt's eval results at the base and now; null where there were none to run. */
export interface EvalComparison {
  mode: "replay" | "live";
  before: EvalResults | null;
  after: EvalResults | null;
}

const money = (usd: number) => `$${usd.toFixed(usd < 1 ? 4 : 2)}`;

/** What 1,000 calls of a prompt cost on its first model: from call records when there are some, else at the worst case. */
function perThousand(ir: PromptIR, records: CallLine[]): { usd: number; basis: string } | null {
  const t = ir.model.chain[0];
  if (!t) return null;
  const price = modelPrice(ir, t);
  if (!price) return null;
  const mine = records.filter((r) => r.promptId === ir.id && r.version === ir.version && !r.cache);
  if (mine.length) {
    const usage = { inputTokens: quantile(mine.map((r) => r.inputTokens), 0.5), outputTokens: quantile(mine.map((r) => r.outputTokens), 0.5) };
    return { usd: costUsd(price, usage) * 1000, basis: `${t.provider}:${t.model}, p50 of ${mine.length} call record${mine.length === 1 ? "" : "s"}` };
  }
  // No records: the templates' own text and the output schema as sent at ~4 bytes a token
  // (variables add to it), Anthropic's tool-use system prompt, and all of max_tokens.
  const text = ir.messages.reduce((n, m) => n + Buffer.byteLength(m.template), 0);
  const json = ir.outputFormat === "json" ? jsonSchemasOf(ir).output : null;
  const schema = json ? Buffer.byteLength(JSON.stringify(wireSchema(json, travelsWrapped(json)))) : 0;
  const tool = json && ir.model.providers[t.provider]?.type === "anthropic" ? TOOL_USE_SYSTEM_PROMPT_TOKENS : 0;
  const inputTokens = Math.ceil((text + schema) / 4) + tool;
  const what = json ? (tool ? "template text, output schema and tool prompt" : "template text and output schema") : "template text";
  return { usd: costUsd(price, { inputTokens, outputTokens: ir.model.maxTokens }) * 1000, basis: `${t.provider}:${t.model}, ${what} (~${inputTokens} tokens) plus max_tokens, before inputs` };
}

export function renderDiff(diffs: PromptDiff[], ref: string, commit: string, records: CallLine[], note: string | null, evals: ReadonlyMap<string, EvalComparison> = new Map()): string {
  const changed = diffs.filter((d) => d.status === "changed");
  const added = diffs.filter((d) => d.status === "added");
  const removed = diffs.filter((d) => d.status === "removed");
  const lines: string[] = [`## promptc: prompt changes since \`${ref}\` (${commit.slice(0, 7)})`, ""];
  if (note) lines.push(`> ${note}`, "");
  if (!diffs.length) return [...lines, "No prompt changed.", ""].join("\n");
  lines.push(`${changed.length} changed, ${added.length} added, ${removed.length} removed.`, "");
  for (const d of diffs) lines.push(...promptSection(d, records, evals.get(d.id)));
  return lines.join("\n");
}

/** One prompt's section of the Markdown: version and hash, messages, schema changes, settings, cost. */
export function promptSection(d: PromptDiff, records: CallLine[], evals?: EvalComparison): string[] {
  const lines: string[] = [];
  if (d.status === "added") {
    lines.push(`### \`${d.id}\`: new, v${d.head.version}`, "", `\`${d.head.hash}\`, ${d.head.model.chain.map((m) => `${m.provider}:${m.model}`).join(" → ")}, max_tokens ${d.head.model.maxTokens}`, "");
    if (evals) lines.push(...evalLines(evals, d.head.version, d.head.version));
    return lines;
  }
  if (d.status === "removed") {
    lines.push(`### \`${d.id}\`: removed (was v${d.base.version}) ⚠️ breaking`, "", "Callers of its function no longer compile.", "");
    return lines;
  }
  const breaking = [...d.schema.input, ...d.schema.output].some((c) => c.breaking);
  const bump = d.head.version > d.base.version ? `v${d.base.version} → v${d.head.version}` : `v${d.head.version} ⚠️ not bumped`;
  lines.push(`### \`${d.id}\`: ${bump}${breaking ? " ⚠️ breaking for callers" : ""}`, "", `\`${d.base.hash}\` → \`${d.head.hash}\``, "");
  if (d.messages.length) {
    lines.push("**Messages**", "", "```diff");
    for (const m of d.messages) {
      const patch = createTwoFilesPatch("before", "after", (m.before ?? "") + "\n", (m.after ?? "") + "\n", "", "", { context: 3 });
      lines.push(`# message ${m.index + 1} (${m.role})${m.before === null ? ", new" : m.after === null ? ", removed" : ""}`, ...patch.split("\n").slice(4).filter((l) => l !== "\\ No newline at end of file" && l !== ""));
    }
    lines.push("```", "");
  } else if (d.base.hash !== d.head.hash && !d.settings.length && !d.schema.input.length && !d.schema.output.length) {
    lines.push(`The templates read the same; a partial they include changed (${d.head.partials.join(", ") || "none"}).`, "");
  }
  for (const side of ["input", "output"] as const) {
    const changes = d.schema[side];
    if (!changes.length) continue;
    lines.push(`**${side === "input" ? "Input" : "Output"} schema**`, "", "| field | change | for callers |", "|---|---|---|");
    for (const c of changes) lines.push(`| ${cellCode(c.path)} | ${cellText(c.change)} | ${c.breaking ? "**breaking**" : "compatible"} |`);
    lines.push("");
  }
  if (d.settings.length) {
    lines.push("**Settings**", "", "| setting | before | after |", "|---|---|---|");
    for (const s of d.settings) lines.push(`| ${cellText(s.setting)} | ${cellCode(s.before)} | ${cellCode(s.after)} |`);
    lines.push("");
  }
  // Both from records, or both from the templates: never one of each.
  const answered = (ir: PromptIR) => records.some((r) => r.promptId === ir.id && r.version === ir.version && !r.cache);
  const fromRecords = answered(d.base) && answered(d.head) ? records : [];
  const before = perThousand(d.base, fromRecords);
  const after = perThousand(d.head, fromRecords);
  if (before && after) {
    const delta = after.usd - before.usd;
    lines.push(`**Cost per 1,000 calls**: ${money(before.usd)} → ${money(after.usd)} (${delta >= 0 ? "+" : "−"}${money(Math.abs(delta))}); ${after.basis}.`, "");
  }
  if (evals) lines.push(...evalLines(evals, d.base.version, d.head.version));
  return lines;
}

/** "Evals (replay): 2/3 → 3/3 cases pass", and the cases whose verdict changed. */
function evalLines(e: EvalComparison, from: number, to: number): string[] {
  const rate = (r: EvalResults | null, v: number) => {
    if (!r) return "no cases";
    if (r.misses.length) return `not recorded for v${v}`;
    return `${r.totals.passed}/${r.totals.cases} pass`;
  };
  const lines = [`**Evals** (${e.mode}): ${e.before ? `v${from} ${rate(e.before, from)} → ` : ""}v${to} ${rate(e.after, to)}`, ""];
  const before = new Map((e.before?.misses.length ? [] : e.before?.cases ?? []).map((c) => [c.name, c]));
  const rows = (e.after?.misses.length ? [] : e.after?.cases ?? []).flatMap((c) => {
    const was = before.get(c.name);
    if (was ? was.status === c.status : c.status === "pass") return [];
    const why = c.status === "pass" ? "" : failureReasons(c)[0] ?? "";
    return [`| ${cellText(c.name)} | ${was ? (was.status === "pass" ? "✅" : "❌") : "new"} | ${c.status === "pass" ? "✅" : "❌"} | ${cellText(why)} |`];
  });
  if (rows.length) lines.push("| case | before | after | why |", "|---|---|---|---|", ...rows, "");
  return lines;
}
