// promptc eval [prompt-ids...]: runs the eval cases of the project (or of the prompts named),
// live, recording cassettes, or replaying them; prints a table and writes the reports asked for.
// Exit 0 when the pass rate reaches the threshold, 1 when it does not (or a cassette missed).
import { pathFrom, type Io } from "../io.js";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { closest, type ProjectBuilder } from "@promptc/core";
import { LexicalEmbedder, OpenAIEmbedder, type Embedder } from "@promptc/runtime/stores";
import { EXIT, printDiagnostics, useColor } from "../output.js";
import { projectEvals } from "../eval/project-evals.js";
import { runEvals } from "../eval/run-evals.js";
import { parseRunOptions, type RunOptionsText } from "../eval/options.js";
import { renderHtml } from "../eval/reports/html.js";
import { renderJson } from "../eval/reports/json.js";
import { renderJunit } from "../eval/reports/junit.js";
import { renderMarkdown } from "../eval/reports/markdown.js";
import { verdict, type EvalReport } from "../eval/reports/report.js";
import { renderTable } from "../eval/reports/table.js";
import { progressBar } from "../eval/progress.js";
import { startLocalServer } from "../local-server.js";

export interface EvalCommandOptions extends RunOptionsText {
  local?: boolean;
  cassettes?: string;
  embedder?: string;
  json?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  progress?: boolean;
}

const usage = (io: Io, message: string): number => {
  io.stderr.write(`promptc eval: ${message}\n`);
  return EXIT.USAGE;
};

export async function runEval(io: Io, builder: ProjectBuilder, ids: string[], opts: EvalCommandOptions): Promise<number> {
  const run = parseRunOptions(opts);
  if (typeof run === "string") return usage(io, run);
  const { mode, concurrency, repeat, minPass, threshold } = run;
  if (opts.local && mode === "replay") return usage(io, "--local answers from promptc's local server and --replay from cassettes: use one (record the local server's replies with --local --record)");
  const embedder = embedderOf(opts.embedder ?? "lexical");
  if (!embedder) return usage(io, `--embedder is \`lexical\` or \`openai:<model>\`, got \`${opts.embedder}\``);

  const project = projectEvals(builder);
  printDiagnostics(io, project.diagnostics);
  if (!project.ok) return EXIT.ERRORS;
  const known = new Set(project.prompts.map((p) => p.ir.id));
  for (const id of ids) {
    const prefix = id.endsWith("/");
    if (prefix ? ![...known].some((k) => k.startsWith(id)) : !known.has(id)) {
      const near = closest(id, known);
      return usage(io, `no prompt \`${id}\`${near ? `; did you mean \`${near}\`?` : ""}`);
    }
  }
  const wanted = (id: string) => !ids.length || ids.some((x) => (x.endsWith("/") ? id.startsWith(x) : id === x));
  const cases = project.cases.filter((c) => wanted(c.promptId));
  if (!cases.length) {
    io.stderr.write(`promptc eval: no eval cases${ids.length ? ` for ${ids.join(", ")}` : ""}: add \`tests:\` to a prompt file or an *.eval.yaml beside it\n`);
    return EXIT.ERRORS;
  }

  const cassettesDir = resolve(builder.root, opts.cassettes ?? "cassettes");
  const showProgress = opts.progress ?? !!io.stderr.isTTY;
  const bar = showProgress ? progressBar(io.stderr, useColor(io)) : null;
  let results;
  const local = opts.local ? await startLocalServer() : undefined;
  if (local) io.stderr.write(`promptc eval: promptc's local server answers (${local.url}): a stand-in, not a model; its replies cost 0\n`);
  try {
    results = await runEvals(project.prompts, cases, { mode, cassettesDir, concurrency, repeat, minPass, embedder, env: io.env, onProgress: bar?.update, ...(local ? { localServer: local.url } : {}) });
  } catch (e) {
    bar?.done();
    if ((e as Error).name === "CassetteError") {
      io.stderr.write(`promptc eval: ${(e as Error).message}\n`);
      return EXIT.ERRORS;
    }
    throw e;
  } finally {
    await local?.close();
  }
  bar?.done();
  const report = verdict(results, threshold);
  // A report asked for on stdout (`--json -`) gets stdout to itself; the table goes to stderr.
  const table = [opts.json, opts.junit, opts.markdown, opts.html].includes("-") ? io.stderr : io.stdout;
  table.write(renderTable(report, useColor(io, table)));
  for (const m of dedupe(results.misses)) io.stderr.write(`promptc eval: cassette miss: \`${m.promptId}\` v${m.version} asked ${m.provider}:${m.model} something ${m.file} has no reply for; run \`promptc eval --record\` with a key to record it\n`);
  if (results.cassettesWritten.length) io.stderr.write(`promptc eval: recorded ${results.cassettesWritten.length} cassette file${results.cassettesWritten.length === 1 ? "" : "s"} in ${cassettesDir}\n`);
  writeReports(io, report, opts);
  return report.ok ? EXIT.OK : EXIT.ERRORS;
}

function writeReports(io: Io, report: EvalReport, opts: EvalCommandOptions): void {
  const outputs: [string | undefined, (r: EvalReport) => string][] = [[opts.json, renderJson], [opts.junit, renderJunit], [opts.markdown, renderMarkdown], [opts.html, renderHtml]];
  for (const [path, render] of outputs) {
    if (!path) continue;
    if (path === "-") {
      io.stdout.write(render(report));
      continue;
    }
    // Whole or not at all: a CI step never reads half a report.
    const full = pathFrom(io, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(`${full}.tmp`, render(report));
    renameSync(`${full}.tmp`, full);
  }
}

function embedderOf(spec: string): Embedder | null {
  if (spec === "lexical") return new LexicalEmbedder();
  const m = /^openai:(.+)$/.exec(spec);
  return m ? new OpenAIEmbedder({ model: m[1]! }) : null;
}

function dedupe<T extends { key: string }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(x.key) && (seen.add(x.key), true));
}
