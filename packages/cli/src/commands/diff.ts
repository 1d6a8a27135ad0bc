// promptc diff --base <git-ref>: Markdown for a pull-request comment. For each prompt that
// changed since the base: its version and hash, a diff of its message templates, its schema
// changes classified as breaking or not for callers, its model and policy changes, and what a
// thousand calls cost before and after.
import { existsSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { LexicalEmbedder } from "@promptc/runtime/stores";
import { diffPrompts, GitRefError, ProjectBuilder, resolveCommit, type PromptDiff, type PromptIR } from "@promptc/core";
import { costUsd, travelsWrapped, wireSchema } from "@promptc/runtime";
import { TOOL_USE_SYSTEM_PROMPT_TOKENS } from "@promptc/runtime/providers";
import { createTwoFilesPatch } from "diff";
import { EXIT, printDiagnostics } from "../output.js";
import { atCommit } from "../git-tree.js";
import { projectEvals, type ProjectEvals } from "../eval/project-evals.js";
import { runEvals, type EvalResults } from "../eval/run-evals.js";
import { failureReasons } from "../eval/reports/report.js";
import { cellCode, cellText } from "../markdown.js";
import { modelPrice } from "../model-price.js";
import { quantile, readRecordsFile, type CallLine } from "../records-file.js";

export interface DiffOptions {
  base?: string;
  out?: string;
  records?: string;
  /** Eval results before and after: replay (default when a cassettes folder exists), live, or off. */
  eval?: string;
  cassettes?: string;
}

export async function runDiff(builder: ProjectBuilder, opts: DiffOptions): Promise<number> {
  if (!opts.base) {
    process.stderr.write("promptc diff: --base <git-ref> is required: the branch, tag or commit the change is reviewed against (e.g. origin/main)\n");
    return EXIT.USAGE;
  }
  if (opts.eval !== undefined && !["replay", "live", "off"].includes(opts.eval)) {
    process.stderr.write(`promptc diff: --eval is replay, live or off, got \`${opts.eval}\`\n`);
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

  const { prompts: base, note, evals: baseEvals } = buildAt(builder, commit, opts.base);
  const diffs = diffPrompts(base, head.prompts.map((p) => p.ir));
  const cassettesDir = resolve(builder.root, opts.cassettes ?? "cassettes");
  const mode = (opts.eval ?? (existsSync(cassettesDir) ? "replay" : "off")) as "replay" | "live" | "off";
  const evals = mode === "off" ? new Map<string, EvalComparison>() : await compareEvals(diffs, baseEvals, projectEvals(builder), mode, cassettesDir);
  const markdown = renderDiff(diffs, opts.base, commit, records, note, evals);
  if (opts.out) writeFileSync(opts.out, markdown);
  else process.stdout.write(markdown);
  return EXIT.OK;
}

/** The project as it was at `commit`, built in a scratch copy of that tree, writing nothing. */
function buildAt(builder: ProjectBuilder, commit: string, ref: string): { prompts: PromptIR[]; note: string | null; evals: ProjectEvals | null } {
  return atCommit(builder, commit, (project) => {
    if (!project) return { prompts: [], note: `${ref} has no ${relative(builder.root, builder.configPath!)}: every prompt is new`, evals: null };
    // Its prompts built in memory and its own eval cases: the "before" of the eval results.
    const evals = projectEvals(project);
    const errors = evals.diagnostics.filter((d) => d.severity === "error").length;
    return { prompts: evals.prompts.map((p) => p.ir), note: errors ? `${ref} does not build cleanly (${errors} errors); prompts that failed there show as added` : null, evals };
  });
}

/** A changed prompt's eval results at the base and now; null where there were none to run. */
export interface EvalComparison {
  mode: "replay" | "live";
  before: EvalResults | null;
  after: EvalResults | null;
}

async function compareEvals(diffs: PromptDiff[], base: ProjectEvals | null, head: ProjectEvals, mode: "replay" | "live", cassettesDir: string): Promise<Map<string, EvalComparison>> {
  const out = new Map<string, EvalComparison>();
  const embedder = new LexicalEmbedder();
  const side = async (project: ProjectEvals | null, id: string) => {
    if (!project) return null;
    const cases = project.cases.filter((c) => c.promptId === id);
    if (!cases.length) return null;
    return runEvals(project.prompts, cases, { mode, cassettesDir, concurrency: 4, repeat: 1, minPass: 1, embedder });
  };
  for (const d of diffs) {
    if (d.status === "removed") continue;
    const [before, after] = [d.status === "changed" ? await side(base, d.id) : null, await side(head, d.id)];
    if (before || after) out.set(d.id, { mode, before, after });
  }
  return out;
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
  const json = ir.outputFormat === "json" ? ir.jsonSchema.output : null;
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
