// promptc bisect <prompt-id> --good <version> --bad <version>: finds the first version of a
// prompt that fails its eval cases. Each version is taken from git history (the last commit
// holding it), built in memory, and run against the prompt's eval cases as they are in the
// work tree (the case that shows a regression is usually written after it); replay, record or
// live, k-of-n. The search is binary. A version that does not build, that no case applies to,
// or whose replies were never recorded is skipped, not blamed.
import type { Io } from "../io.js";
import { relative, resolve } from "node:path";
import { checkValue, closest, diffPrompts, promptVersionOf, type CompiledPrompt, type ProjectBuilder } from "@promptc/core";
import { LexicalEmbedder } from "@promptc/runtime/stores";
import { EXIT, printDiagnostics } from "../output.js";
import { atCommit, git, gitTop } from "../git-tree.js";
import { projectEvals } from "../eval/project-evals.js";
import { runEvals, type EvalResults } from "../eval/run-evals.js";
import { parseRunOptions, type RunOptionsText } from "../eval/options.js";
import { failureReasons, percent } from "../eval/reports/report.js";
import { promptSection } from "../diff-markdown.js";

export interface BisectOptions extends RunOptionsText {
  good?: string;
  bad?: string;
  cassettes?: string;
}

interface Version {
  version: number;
  /** The last commit holding this version, or null for the work tree. */
  commit: string | null;
  date: string;
  subject: string;
}

interface Verdict {
  status: "good" | "bad" | "skipped";
  reason: string;
  prompt?: CompiledPrompt;
  results?: EvalResults;
}

const usage = (io: Io, message: string): number => {
  io.stderr.write(`promptc bisect: ${message}\n`);
  return EXIT.USAGE;
};

export async function runBisect(io: Io, builder: ProjectBuilder, id: string, opts: BisectOptions): Promise<number> {
  const versionArg = (v: string | undefined, flag: string): number | string => {
    if (v === undefined) return `${flag} <version> is required`;
    const n = Number(v.replace(/^v/, ""));
    return Number.isInteger(n) && n >= 1 ? n : `${flag} takes a version number, got \`${v}\``;
  };
  const good = versionArg(opts.good, "--good");
  const bad = versionArg(opts.bad, "--bad");
  if (typeof good === "string") return usage(io, good);
  if (typeof bad === "string") return usage(io, bad);
  if (good >= bad) return usage(io, `--good v${good} must be older than --bad v${bad}`);
  const run = parseRunOptions(opts);
  if (typeof run === "string") return usage(io, run);
  const { mode, concurrency, repeat, minPass, threshold } = run;

  const head = projectEvals(builder);
  printDiagnostics(io, head.diagnostics);
  if (!head.ok) return EXIT.ERRORS;
  const current = head.prompts.find((p) => p.ir.id === id);
  if (!current) {
    const near = closest(id, head.prompts.map((p) => p.ir.id));
    return usage(io, `no prompt \`${id}\` in the work tree${near ? `; did you mean \`${near}\`?` : ""}`);
  }
  const cases = head.cases.filter((c) => c.promptId === id);
  if (!cases.length) {
    io.stderr.write(`promptc bisect: \`${id}\` has no eval cases to tell good from bad: add \`tests:\` to ${current.ir.source} or an *.eval.yaml for it\n`);
    return EXIT.ERRORS;
  }
  const judgeIds = new Set(cases.flatMap((c) => c.assert.filter((a) => a.type === "judge").map((a) => a.value as string)));
  const judges = head.prompts.filter((p) => judgeIds.has(p.ir.id));

  let history: Version[];
  try {
    history = versionsOf(builder, current.ir.source, current.ir.version);
  } catch (e) {
    return usage(io, `cannot read the history of ${current.ir.source}: ${String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim()}`);
  }
  const known = history.map((v) => v.version);
  for (const v of [good, bad]) {
    if (!known.includes(v)) return usage(io, `version ${v} of \`${id}\` never existed; ${current.ir.source} has had version${known.length === 1 ? "" : "s"} ${known.join(", ")}`);
  }
  const candidates = history.filter((v) => v.version >= good && v.version <= bad);

  const config = builder.currentConfig!;
  const treePaths = [...new Set([relative(builder.root, config.promptsDir), relative(builder.root, config.partialsDir)])];
  const embedder = new LexicalEmbedder();
  const started = performance.now();

  const evaluate = async (v: Version): Promise<Verdict> => {
    const built = v.commit === null ? { prompt: current, problem: null } : atCommit(builder, v.commit, (project) => {
      if (!project) return { prompt: undefined, problem: "the project has no config at that commit" };
      const r = project.build({ dryRun: true });
      const prompt = r.prompts.find((p) => p.ir.id === id);
      // Errors of this prompt's file, or of no file (the config): errors elsewhere do not stop it.
      const error = r.diagnostics.find((d) => d.severity === "error" && (!d.span || d.span.file === current.ir.source || d.span.file.endsWith(`/${current.ir.source}`)));
      return prompt && !error ? { prompt, problem: null } : { prompt: undefined, problem: error ? `does not build: ${error.code} ${error.message}` : "the prompt is not in that commit's build" };
    }, treePaths);
    if (!built.prompt) return { status: "skipped", reason: built.problem ?? "does not build" };
    const applicable = cases.filter((c) => !checkValue(built.prompt!.ir.input, c.input));
    if (!applicable.length) return { status: "skipped", reason: "no eval case's input fits this version's input schema" };
    const results = await runEvals([built.prompt, ...judges], applicable, { mode, cassettesDir: resolve(builder.root, opts.cassettes ?? "cassettes"), concurrency, repeat, minPass, embedder, env: io.env });
    if (results.misses.length) return { status: "skipped", reason: `${results.misses.length} repl${results.misses.length === 1 ? "y was" : "ies were"} never recorded for this version (run with --record, or live)`, prompt: built.prompt, results };
    const ok = results.passRate >= threshold;
    return { status: ok ? "good" : "bad", reason: `${results.totals.passed}/${results.totals.cases} cases pass (${percent(results.passRate)})`, prompt: built.prompt, results };
  };

  const verdicts = new Map<number, Verdict>();
  const log = (v: Version, r: Verdict) => io.stdout.write(`  v${String(v.version).padEnd(4)} ${r.status.padEnd(8)} ${r.reason}  ${label(v)}\n`);
  const test = async (i: number): Promise<Verdict> => {
    const v = candidates[i]!;
    const r = await evaluate(v);
    verdicts.set(i, r);
    log(v, r);
    return r;
  };

  io.stdout.write(`promptc bisect \`${id}\`: v${good} (good) .. v${bad} (bad), ${candidates.length} versions, ${mode}${repeat > 1 ? `, ${minPass} of ${repeat} runs per case` : ""}\n\n`);
  let lo = 0;
  let hi = candidates.length - 1;
  const first = await test(lo);
  if (first.status !== "good") {
    io.stderr.write(`promptc bisect: --good v${good} is not good (${first.status}: ${first.reason}); pick an older version that passes\n`);
    return EXIT.ERRORS;
  }
  const last = await test(hi);
  if (last.status !== "bad") {
    io.stderr.write(`promptc bisect: --bad v${bad} is not bad (${last.status}: ${last.reason}); nothing to bisect\n`);
    return EXIT.ERRORS;
  }
  for (;;) {
    const open = [];
    for (let i = lo + 1; i < hi; i++) if (!verdicts.has(i)) open.push(i);
    if (!open.length) break;
    const middle = (lo + hi) / 2;
    const i = open.reduce((best, x) => (Math.abs(x - middle) < Math.abs(best - middle) ? x : best));
    const r = await test(i);
    if (r.status === "good") lo = i;
    else if (r.status === "bad") hi = i;
  }

  const lastGood = candidates[lo]!;
  const firstBad = candidates[hi]!;
  const skipped = candidates.slice(lo + 1, hi).map((v) => `v${v.version}`);
  const goodVerdict = verdicts.get(lo)!;
  const badVerdict = verdicts.get(hi)!;
  const out: string[] = ["", `First bad version: v${firstBad.version} (${label(firstBad)})`, `Last good version: v${lastGood.version} (${label(lastGood)})`];
  if (skipped.length) out.push(`Skipped between them: ${skipped.join(", ")}; the first bad version may be one of these.`);
  out.push(`${verdicts.size} of ${candidates.length} versions evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s.`, "");

  const passedAt = new Map(goodVerdict.results!.cases.map((c) => [c.name, c.status === "pass"]));
  const flipped = badVerdict.results!.cases.filter((c) => c.status !== "pass" && passedAt.get(c.name));
  out.push(`Cases that flipped (pass at v${lastGood.version}, fail at v${firstBad.version}):`);
  for (const c of flipped) {
    out.push(`  - ${c.name} (${c.at})`);
    for (const reason of failureReasons(c)) out.push(`      ${reason}`);
  }
  if (!flipped.length) out.push("  (none case by case: the pass rate fell below the threshold)");
  out.push("", `What changed from v${lastGood.version} to v${firstBad.version}:`, "");
  const [d] = diffPrompts([goodVerdict.prompt!.ir], [badVerdict.prompt!.ir]);
  if (d) out.push(...promptSection(d, []));
  io.stdout.write(out.join("\n") + "\n");
  return EXIT.OK;
}

const label = (v: Version): string => (v.commit ? `${v.commit.slice(0, 7)} ${v.date} "${v.subject}"` : "the work tree, uncommitted");

/**
 * The prompt file's versions, oldest first, each at the last commit that held it (following
 * renames), plus the work tree's when it holds a version no commit has.
 */
function versionsOf(builder: ProjectBuilder, source: string, workTreeVersion: number): Version[] {
  const top = gitTop(builder.root);
  const path = relative(top, `${builder.root}/${source}`);
  const log = git(top, ["log", "--follow", "--name-only", "--format=%x00%H%x09%cs%x09%s", "--", path]).toString();
  const byVersion = new Map<number, Version>();
  for (const entry of log.split("\0").slice(1)) {
    const [header, ...files] = entry.trim().split("\n");
    const [commit, date, subject] = header!.split("\t") as [string, string, string];
    const file = files.find((f) => f.trim());
    if (!file) continue;
    // A commit where the file has no readable version would not build either: left out.
    const version = promptVersionOf(git(top, ["show", `${commit}:${file.trim()}`]).toString());
    // Newest first: the first commit seen for a version is the last that held it.
    if (version !== undefined && !byVersion.has(version)) byVersion.set(version, { version, commit, date, subject });
  }
  if (!byVersion.has(workTreeVersion)) byVersion.set(workTreeVersion, { version: workTreeVersion, commit: null, date: "", subject: "" });
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}
