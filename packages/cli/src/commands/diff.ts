// promptc diff --base <git-ref>: Markdown for a pull-request comment. For each prompt that
// changed since the base: its version and hash, a diff of its message templates, its schema
// changes classified as breaking or not for callers, its model and policy changes, and what a
// thousand calls cost before and after.
import { pathFrom, type Io } from "../io.js";
import { existsSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { LexicalEmbedder } from "@promptc/runtime/stores";
import { diffPrompts, GitRefError, ProjectBuilder, resolveCommit, VERSION_CODES, type PromptDiff, type PromptIR } from "@promptc/core";
import { EXIT, printDiagnostics } from "../output.js";
import { atCommit } from "../git-tree.js";
import { projectEvals, type ProjectEvals } from "../eval/project-evals.js";
import { runEvals } from "../eval/run-evals.js";
import { readRecordsFile, type CallLine } from "../records-file.js";
import { renderDiff, type EvalComparison } from "../diff-markdown.js";

export interface DiffOptions {
  base?: string;
  out?: string;
  records?: string;
  /** Eval results before and after: replay (default when a cassettes folder exists), live, or off. */
  eval?: string;
  cassettes?: string;
}

export async function runDiff(io: Io, builder: ProjectBuilder, opts: DiffOptions): Promise<number> {
  if (!opts.base) {
    io.stderr.write("promptc diff: --base <git-ref> is required: the branch, tag or commit the change is reviewed against (e.g. origin/main)\n");
    return EXIT.USAGE;
  }
  if (opts.eval !== undefined && !["replay", "live", "off"].includes(opts.eval)) {
    io.stderr.write(`promptc diff: --eval is replay, live or off, got \`${opts.eval}\`\n`);
    return EXIT.USAGE;
  }
  let records: CallLine[] = [];
  if (opts.records) {
    const file = readRecordsFile(opts.records, io.cwd);
    if (!file.ok) {
      io.stderr.write(`promptc diff: ${file.message}\n`);
      return file.usage ? EXIT.USAGE : EXIT.ERRORS;
    }
    records = file.calls;
  }
  let commit: string;
  try {
    commit = resolveCommit(builder.root, opts.base);
  } catch (e) {
    if (!(e instanceof GitRefError)) throw e;
    io.stderr.write(`promptc diff: ${e.message}\n`);
    return EXIT.USAGE;
  }
  const head = builder.build({ dryRun: true });
  printDiagnostics(io, head.diagnostics);
  // A version not bumped is for `promptc check` to fail; the diff shows it and goes on.
  if (head.diagnostics.some((d) => d.severity === "error" && !VERSION_CODES.has(d.code)) || (!head.ok && !head.prompts.length)) return EXIT.ERRORS;

  const { prompts: base, note, evals: baseEvals } = buildAt(builder, commit, opts.base);
  const diffs = diffPrompts(base, head.prompts.map((p) => p.ir));
  const cassettesDir = resolve(builder.root, opts.cassettes ?? "cassettes");
  const mode = (opts.eval ?? (existsSync(cassettesDir) ? "replay" : "off")) as "replay" | "live" | "off";
  const evals = mode === "off" ? new Map<string, EvalComparison>() : await compareEvals(io, diffs, baseEvals, projectEvals(builder), mode, cassettesDir);
  const markdown = renderDiff(diffs, opts.base, commit, records, note, evals);
  if (opts.out) writeFileSync(pathFrom(io, opts.out), markdown);
  else io.stdout.write(markdown);
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

async function compareEvals(io: Io, diffs: PromptDiff[], base: ProjectEvals | null, head: ProjectEvals, mode: "replay" | "live", cassettesDir: string): Promise<Map<string, EvalComparison>> {
  const out = new Map<string, EvalComparison>();
  const embedder = new LexicalEmbedder();
  const side = async (project: ProjectEvals | null, id: string) => {
    if (!project) return null;
    const cases = project.cases.filter((c) => c.promptId === id);
    if (!cases.length) return null;
    return runEvals(project.prompts, cases, { mode, cassettesDir, concurrency: 4, repeat: 1, minPass: 1, embedder, env: io.env });
  };
  for (const d of diffs) {
    if (d.status === "removed") continue;
    const [before, after] = [d.status === "changed" ? await side(base, d.id) : null, await side(head, d.id)];
    if (before || after) out.set(d.id, { mode, before, after });
  }
  return out;
}
