// The promptc command line.
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { processIo, type Io } from "./io.js";
import { EXIT } from "./exit-codes.js";

/**
 * This package's version, as published (Changesets moves it): from the nearest package.json
 * named promptc above this file, which is dist/ or, bundled, a chunk under it.
 */
const version = (): string => {
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "promptc" && pkg.version) return pkg.version;
    } catch {
      // no package.json here: look further up
    }
    if (dir.pathname === "/") return "unknown";
  }
};

// Commands load what they need when they run, so `promptc --help` answers at once.
const load = {
  project: () => import("./project.js"),
  build: () => import("./commands/build.js"),
  watch: () => import("./commands/watch.js"),
  init: () => import("./commands/init.js"),
  inspect: () => import("./commands/inspect.js"),
  cost: () => import("./commands/cost.js"),
  check: () => import("./commands/check.js"),
  stats: () => import("./commands/stats.js"),
  jobs: () => import("./commands/jobs.js"),
  diff: () => import("./commands/diff.js"),
  eval: () => import("./commands/eval.js"),
  bisect: () => import("./commands/bisect.js"),
  serve: () => import("./commands/serve.js"),
  review: () => import("./commands/review.js"),
};

/** Runs the command line `argv` with `io` (the process's own by default); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.OK;
  const program = new Command()
    .name("promptc")
    .description("Compile *.prompt.yaml files into typed TypeScript functions")
    .version(version())
    .option("-c, --config <path>", "promptc.config.yaml to use (default: nearest one upwards)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showHelpAfterError();
  const project = async () => (await load.project()).openProject(io, program.opts<{ config?: string }>().config);

  program.command("init")
    .description("set promptc up in this app: config, a first prompt with a test case, package scripts, editor settings")
    .action(async () => {
      code = (await load.init()).runInit(io, io.cwd);
    });

  program.command("build")
    .description("compile prompts into TypeScript and update the lockfile")
    .option("-w, --watch", "rebuild on every change until Ctrl-C")
    .option("--check", "write nothing; exit 3 if generated output or the lockfile is stale")
    .action(async (opts: { watch?: boolean; check?: boolean }) => {
      const builder = await project();
      if (opts.watch && opts.check) {
        io.stderr.write("promptc: --watch and --check cannot be used together\n");
        code = EXIT.USAGE;
        return;
      }
      if (!opts.watch) {
        code = (await load.build()).runBuild(io, builder, !!opts.check);
        return;
      }
      const stop = io.interrupted();
      const handle = (await load.watch()).startWatch(io, builder);
      await handle.ready;
      await stop;
      await handle.close();
      code = EXIT.OK;
    });

  program.command("inspect")
    .description("print a prompt's IR: JSON Schemas, version, hash, and rendered messages for an input")
    .argument("<prompt-id>", "the prompt's path under the prompts folder, e.g. support/route-ticket")
    .option("-i, --input <file.json>", "render the messages for this input")
    .action(async (id: string, opts: { input?: string }) => {
      code = await (await load.inspect()).runInspect(io, await project(), id, opts.input);
    });

  program.command("check")
    .description("fail if a prompt changed without a version bump or went backwards since <git-ref>, or the lockfile is stale")
    .option("--base <git-ref>", "what the change is reviewed against, e.g. origin/main")
    .action(async (opts: { base?: string }) => {
      code = (await load.check()).runCheck(io, await project(), opts.base);
    });

  program.command("cost")
    .description("project each prompt's monthly cost from call records, for every model of its chain")
    .option("--volume <calls>", "calls per day, per prompt")
    .option("--records <file.jsonl>", "call records (JsonlFileSink) to take token counts from")
    .option("--json", "print JSON instead of a table")
    .action(async (opts: { volume?: string; records?: string; json?: boolean }) => {
      code = (await load.cost()).runCost(io, await project(), opts);
    });

  program.command("diff")
    .description("Markdown for a pull request: what changed in each prompt since <git-ref>, breaking changes, cost")
    .option("--base <git-ref>", "what the change is reviewed against, e.g. origin/main")
    .option("--out <file.md>", "write the Markdown here instead of to stdout")
    .option("--records <file.jsonl>", "call records to estimate cost from (default: template length and max_tokens)")
    .option("--eval <mode>", "eval results before and after: replay (default when cassettes/ exists), live, or off")
    .option("--cassettes <dir>", "where cassettes live (default: cassettes/ in the project)")
    .action(async (opts: import("./commands/diff.js").DiffOptions) => {
      code = await (await load.diff()).runDiff(io, await project(), opts);
    });

  program.command("eval")
    .description("run the eval cases (`tests:` in prompt files, *.eval.yaml suites): live, recording cassettes, or replaying them")
    .argument("[prompt-ids...]", "only these prompts (an id, or a folder prefix ending in /)")
    .option("--replay", "answer from cassettes only; a request with no recorded reply fails the run")
    .option("--record", "call the models and store their replies as cassettes")
    .option("--local", "promptc's local server answers instead of the providers: no key, no cost (with --record, its replies are recorded)")
    .option("--cassettes <dir>", "where cassettes live (default: cassettes/ in the project)")
    .option("--concurrency <n>", "calls in flight at once (default 4)")
    .option("--repeat <n>", "run each case n times (default 1)")
    .option("--min-pass <k>", "a case passes when k of its n runs pass (default: all)")
    .option("--threshold <rate>", "pass rate needed, 0..1 or a percentage (default 1)")
    .option("--embedder <name>", "for `similar`: lexical (default, offline) or openai:<model>")
    .option("--json <file>", "write the JSON report (- for stdout)")
    .option("--junit <file>", "write JUnit XML")
    .option("--markdown <file>", "write Markdown")
    .option("--html <file>", "write a standalone HTML report")
    .option("--progress", "show a progress bar (default: when stderr is a terminal)")
    .option("--no-progress", "never show a progress bar")
    .action(async (ids: string[], opts: import("./commands/eval.js").EvalCommandOptions) => {
      code = await (await load.eval()).runEval(io, await project(), ids, opts);
    });

  program.command("bisect")
    .description("find the first version of a prompt that fails its eval cases, searching its git history")
    .argument("<prompt-id>", "the prompt, e.g. support/route-ticket")
    .option("--good <version>", "a version that passed")
    .option("--bad <version>", "a later version that fails")
    .option("--replay", "answer from cassettes only (a version with no recorded replies is skipped)")
    .option("--record", "call the models and record each version's replies")
    .option("--cassettes <dir>", "where cassettes live (default: cassettes/ in the project)")
    .option("--repeat <n>", "run each case n times (default 1)")
    .option("--min-pass <k>", "a case passes when k of its n runs pass (default: all)")
    .option("--threshold <rate>", "pass rate a good version reaches, 0..1 or a percentage (default 1)")
    .option("--concurrency <n>", "calls in flight at once (default 4)")
    .action(async (id: string, opts: import("./commands/bisect.js").BisectOptions) => {
      code = await (await load.bisect()).runBisect(io, await project(), id, opts);
    });

  program.command("serve")
    .description("run the bundled local OpenAI/Anthropic-compatible server (a stand-in model) for trying an app with no key")
    .option("-p, --port <port>", "port on 127.0.0.1 (default 4141; 0 for any free one)")
    .action(async (opts: import("./commands/serve.js").ServeOptions) => {
      code = await (await load.serve()).runServe(io, opts, io.interrupted());
    });

  program.command("jobs")
    .description("the job queue (fn.enqueue): list jobs, show one, queue a failed or cancelled one again, or cancel one")
    .argument("[action]", "list (default), show, retry or cancel", "list")
    .argument("[id]", "the job, for show, retry and cancel")
    .option("--db <file.sqlite>", "the SQLite job store (default: PROMPTC_JOBS_DB, else .promptc/jobs.sqlite here)")
    .option("--redis <url>", "the BullMQ job store on this Redis (default: PROMPTC_JOBS_REDIS)")
    .option("--status <status>", "list: only jobs in this status (queued, running, succeeded, failed, cancelled)")
    .option("--prompt <prompt-id>", "list: only this prompt's jobs")
    .option("--limit <n>", "list: at most this many, newest first (default 50)")
    .option("--json", "list: print JSON instead of a table")
    .action(async (action: string, id: string | undefined, opts: import("./commands/jobs.js").JobsOptions) => {
      code = await (await load.jobs()).runJobs(io, action, id, opts);
    });

  program.command("review")
    .description("human review (a prompt's review:): serve the review page on 127.0.0.1, or export decided items as eval cases")
    .argument("[action]", "serve (default): the page; export: approved and edited items of a prompt as an eval file", "serve")
    .argument("[prompt-id]", "the prompt, for export")
    .option("--db <file.sqlite>", "the review store (default: PROMPTC_REVIEWS_DB, else .promptc/reviews.sqlite here)")
    .option("--port <n>", "serve: the port on 127.0.0.1 (default: any free one)")
    .option("--reviewer <name>", "serve: the name decisions are recorded under, until the page is told another")
    .option("--out <file.eval.yaml>", "export: where to write (default: <prompts>/<prompt-id>.reviews.eval.yaml)")
    .action(async (action: string, promptId: string | undefined, opts: import("./commands/review.js").ReviewOptions) => {
      const promptsDir = async () => (await load.project()).promptsDirOf(io, program.opts<{ config?: string }>().config);
      code = await (await load.review()).runReview(io, action, promptId, opts, promptsDir, io.interrupted());
    });

  program.command("stats")
    .description("per prompt and version, from call records: calls, valid, re-ask, fallback and cache rates, latency, tokens, cost, feedback; and from the review store: how often review was needed, approved, edited and rejected")
    .option("--records <file.jsonl>", "call records (JsonlFileSink)")
    .option("--reviews [file.sqlite]", "the review store (default: PROMPTC_REVIEWS_DB, else .promptc/reviews.sqlite here)")
    .option("--json", "print JSON instead of a table")
    .action(async (opts: { records?: string; reviews?: string | boolean; json?: boolean }) => {
      code = await (await load.stats()).runStats(io, opts);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    throw e;
  }
  return code;
}
