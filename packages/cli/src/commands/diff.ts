// promptc diff --base <git-ref>: Markdown for a pull-request comment. For each prompt that
// changed since the base: its version and hash, a diff of its message templates, its schema
// changes classified as breaking or not for callers, its model and policy changes, and what a
// thousand calls cost before and after.
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { diffPrompts, GitRefError, ProjectBuilder, resolveCommit, type PromptDiff, type PromptIR } from "@promptc/core";
import { costUsd } from "@promptc/runtime";
import { createTwoFilesPatch } from "diff";
import { EXIT, printDiagnostics } from "../output.js";
import { atCommit } from "../git-tree.js";
import { modelPrice } from "../model-price.js";
import { quantile, readRecordsFile, type CallLine } from "../records-file.js";

export function runDiff(builder: ProjectBuilder, opts: { base?: string; out?: string; records?: string }): number {
  if (!opts.base) {
    process.stderr.write("promptc diff: --base <git-ref> is required: the branch, tag or commit the change is reviewed against (e.g. origin/main)\n");
    return EXIT.USAGE;
  }
  let records: CallLine[] = [];
  if (opts.records) {
    const file = readRecordsFile(opts.records);
    if (!file.ok) {
      process.stderr.write(`promptc diff: ${file.message}\n`);
      return file.usage ? EXIT.USAGE : EXIT.ERRORS;
    }
    records = file.calls;
  }
  let commit: string;
  try {
    commit = resolveCommit(builder.root, opts.base);
  } catch (e) {
    if (!(e instanceof GitRefError)) throw e;
    process.stderr.write(`promptc diff: ${e.message}\n`);
    return EXIT.USAGE;
  }
  const head = builder.build({ dryRun: true });
  printDiagnostics(head.diagnostics);
  // A version not bumped is for `promptc check` to fail; the diff shows it and goes on.
  const versionOnly = (code: string) => code === "PC1301" || code === "PC1302";
  if (head.diagnostics.some((d) => d.severity === "error" && !versionOnly(d.code)) || (!head.ok && !head.prompts.length)) return EXIT.ERRORS;

  const { prompts: base, note } = buildAt(builder, commit, opts.base);
  const markdown = renderDiff(diffPrompts(base, head.prompts.map((p) => p.ir)), opts.base, commit, records, note);
  if (opts.out) writeFileSync(opts.out, markdown);
  else process.stdout.write(markdown);
  return EXIT.OK;
}

/** The project as it was at `commit`, built in a scratch copy of that tree, writing nothing. */
function buildAt(builder: ProjectBuilder, commit: string, ref: string): { prompts: PromptIR[]; note: string | null } {
  return atCommit(builder, commit, (project) => {
    if (!project) return { prompts: [], note: `${ref} has no ${relative(builder.root, builder.configPath!)}: every prompt is new` };
    const result = project.build({ dryRun: true });
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    return { prompts: result.prompts.map((p) => p.ir), note: errors ? `${ref} does not build cleanly (${errors} errors); prompts that failed there show as added` : null };
  });
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
  // No records: the templates' own text at ~4 bytes a token (variables add to it), and all of max_tokens.
  const inputTokens = Math.ceil(ir.messages.reduce((n, m) => n + Buffer.byteLength(m.template), 0) / 4);
  return { usd: costUsd(price, { inputTokens, outputTokens: ir.model.maxTokens }) * 1000, basis: `${t.provider}:${t.model}, template text (~${inputTokens} tokens) plus max_tokens, before inputs` };
}

export function renderDiff(diffs: PromptDiff[], ref: string, commit: string, records: CallLine[], note: string | null): string {
  const changed = diffs.filter((d) => d.status === "changed");
  const added = diffs.filter((d) => d.status === "added");
  const removed = diffs.filter((d) => d.status === "removed");
  const lines: string[] = [`## promptc: prompt changes since \`${ref}\` (${commit.slice(0, 7)})`, ""];
  if (note) lines.push(`> ${note}`, "");
  if (!diffs.length) return [...lines, "No prompt changed.", ""].join("\n");
  lines.push(`${changed.length} changed, ${added.length} added, ${removed.length} removed.`, "");
  for (const d of diffs) lines.push(...promptSection(d, records));
  return lines.join("\n");
}

/** One prompt's section of the Markdown: version and hash, messages, schema changes, settings, cost. */
export function promptSection(d: PromptDiff, records: CallLine[]): string[] {
  const lines: string[] = [];
  if (d.status === "added") {
    lines.push(`### \`${d.id}\`: new, v${d.head.version}`, "", `\`${d.head.hash}\`, ${d.head.model.chain.map((m) => `${m.provider}:${m.model}`).join(" → ")}, max_tokens ${d.head.model.maxTokens}`, "");
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
    for (const c of changes) lines.push(`| \`${c.path}\` | ${c.change} | ${c.breaking ? "**breaking**" : "compatible"} |`);
    lines.push("");
  }
  if (d.settings.length) {
    lines.push("**Settings**", "", "| setting | before | after |", "|---|---|---|");
    for (const s of d.settings) lines.push(`| ${s.setting} | \`${s.before}\` | \`${s.after}\` |`);
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
  return lines;
}
