// A user's first day with promptc, in a fresh app outside this repository, installing from a
// registry as the README says: install, init, a new prompt, build, tsc, a typed call against
// the bundled local server with no key, eval --local --record then --replay with no key, and a
// watch that picks up an edit. Each step's time is kept for the closing figures.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { parse as parseYaml } from "yaml";
import { cleanEnv, nodeBin, pnpmCommand, REPO, type Registry } from "./registry.js";

export type AppKind = "npm-esm" | "pnpm-esm" | "npm-cjs";

interface Step {
  name: string;
  ms: number;
}

export interface DayResult {
  dir: string;
  steps: Step[];
  /** What the app printed from its typed calls. */
  app: { category: string; summary: string; priority: string; local: boolean; cost: number; version: number; hash: string };
  missingSdk: { code: string; message: string } | null;
  /** Per file the editor would check: the schema .vscode/settings.json maps it to, and whether it validates. */
  editor: { file: string; schema: string; valid: boolean; errors: string }[];
  evalRecord: string;
  evalReplay: string;
  /** node_modules after the production install (runtime, zod, openai), and with dev dependencies. */
  installedKb: number;
  installedDevKb: number;
}

const TSCONFIG = {
  // What `tsc --init` writes today, strict flags included: generated code must compile under them.
  compilerOptions: {
    module: "nodenext", target: "es2022", rootDir: "src", outDir: "dist", types: ["node"], strict: true, noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true, verbatimModuleSyntax: true, isolatedModules: true, noUncheckedSideEffectImports: true, moduleDetection: "force", skipLibCheck: true,
  },
  include: ["src"],
};

const NEW_PROMPT = `version: 1
description: How urgent a support message is.
model: { tier: fast, max_tokens: 50, temperature: 0 }
input:
  message: string
output:
  priority(enum): [low, high]
messages:
  - system: Rate how urgent the customer's message is.
  - user: "{{message}}"
tests:
  - name: an outage is urgent
    input: { message: "Production is down for every customer, this is high urgency." }
    expect: { priority: high }
`;

/** Only Anthropic: in an app that installed only openai, the call must name the SDK to install. */
const ANTHROPIC_PROMPT = `version: 1
model: { tier: "anthropic:claude-haiku-4-5", max_tokens: 20 }
input: { text: string }
messages:
  - user: "{{text}}"
`;

/** An eval file one folder deeper than the config, as a user adds one. */
const EVAL_SUITE = `prompt: support/priority
cases:
  - name: a question can wait
    input: { message: "A small question about the low priority settings." }
    expect: { priority: low }
`;

const MAIN_ESM = `import { supportPriority, triage, anthropicOnly } from "./generated/index.js";

const out = await triage({ message: "My invoice shows a double charge; please fix my billing." });
const category: "billing" | "bug" | "question" = out.category;
const p = await supportPriority.withRecord({ message: "Everything is down, high urgency." });
const priority: "low" | "high" = p.output.priority;
// @ts-expect-error a misspelt input field does not compile
void (() => triage({ mesage: "x" }));
let missingSdk: { code: string; message: string } | null = null;
try {
  await anthropicOnly({ text: "hi" });
} catch (e) {
  missingSdk = { code: (e as { code: string }).code, message: (e as Error).message };
}
console.log(JSON.stringify({ app: { category, summary: out.summary, priority, local: p.record.local === true, cost: p.record.costUsd, version: p.record.version, hash: p.record.hash }, missingSdk }));
`;

const MAIN_CJS = `import prompts = require("./generated/index.mjs");

async function main(): Promise<void> {
  const out = await prompts.triage({ message: "My invoice shows a double charge; please fix my billing." });
  const category: "billing" | "bug" | "question" = out.category;
  const p = await prompts.supportPriority.withRecord({ message: "Everything is down, high urgency." });
  const priority: "low" | "high" = p.output.priority;
  // @ts-expect-error a misspelt input field does not compile
  void (() => prompts.triage({ mesage: "x" }));
  let missingSdk: { code: string; message: string } | null = null;
  try {
    await prompts.anthropicOnly({ text: "hi" });
  } catch (e) {
    missingSdk = { code: (e as { code: string }).code, message: (e as Error).message };
  }
  console.log(JSON.stringify({ app: { category, summary: out.summary, priority, local: p.record.local === true, cost: p.record.costUsd, version: p.record.version, hash: p.record.hash }, missingSdk }));
}
main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
`;

export async function userDay(kind: AppKind, node: 20 | 22 | 24, registry: Registry): Promise<DayResult> {
  const dir = mkdtempSync(join(tmpdir(), `promptc-app-${kind}-node${node}-`));
  const steps: Step[] = [];
  // A user's shell: this Node first on PATH, the test registry, no keys, nothing of the test runner's.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(cleanEnv())) if (!/^(OPENAI_|ANTHROPIC_|PROMPTC_|VITEST|NODE_OPTIONS$|CI$)/i.test(k)) env[k] = v;
  env["PATH"] = `${nodeBin(node)}:${env["PATH"] ?? ""}`;
  env["npm_config_registry"] = registry.url;
  env["npm_config_update_notifier"] = "false";
  env["NO_COLOR"] = "1";
  const pm = kind === "pnpm-esm" ? pnpmCommand() : ["npm"];
  const exec = kind === "pnpm-esm" ? [...pnpmCommand(), "exec"] : ["npx"];
  // Long-running commands straight from node_modules/.bin, so Ctrl-C (SIGINT) reaches promptc itself.
  const bin = join(dir, "node_modules/.bin/promptc");

  const run = (name: string, cmd: string[], extraEnv: Record<string, string> = {}): string => {
    const t0 = performance.now();
    try {
      const out = execFileSync(cmd[0]!, cmd.slice(1), { cwd: dir, env: { ...env, ...extraEnv }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });
      steps.push({ name, ms: Math.round(performance.now() - t0) });
      return out;
    } catch (e) {
      const x = e as { status?: number; stdout?: string; stderr?: string };
      throw new Error(`${name} (\`${cmd.join(" ")}\` in ${dir}, Node ${node}) exited ${x.status}:\n${x.stdout ?? ""}\n${x.stderr ?? ""}`);
    }
  };
  const add = (dev: boolean, pkgs: string[]) => (kind === "pnpm-esm" ? [...pm, "add", ...(dev ? ["-D"] : []), ...pkgs] : ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", ...(dev ? ["-D"] : []), ...pkgs]);

  // An existing TypeScript app.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `app-${kind}`, version: "1.0.0", private: true, ...(kind === "npm-cjs" ? {} : { type: "module" }) }, null, 2) + "\n");
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2) + "\n");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/main.ts"), "export {};\n");
  run("app: install typescript", add(true, ["typescript@~6.0.2", "@types/node@^20.19.0"]));

  // The README's "Use it in your app".
  run("install promptc", add(true, ["promptc"]));
  run("install @promptc/runtime zod openai", add(false, ["@promptc/runtime", "zod", "openai"]));
  const init = run("promptc init", [...exec, "promptc", "init"]);
  if (!init.includes("wrote prompts/triage.prompt.yaml")) throw new Error(`init said:\n${init}`);
  mkdirSync(join(dir, "prompts/support"));
  writeFileSync(join(dir, "prompts/support/priority.prompt.yaml"), NEW_PROMPT);
  writeFileSync(join(dir, "prompts/support/priority.eval.yaml"), EVAL_SUITE);
  const editor = checkEditorSchemas(dir);
  writeFileSync(join(dir, "prompts/anthropic-only.prompt.yaml"), ANTHROPIC_PROMPT);
  run("promptc build", kind === "pnpm-esm" ? [...pm, "prompts:build"] : ["npm", "run", "--silent", "prompts:build"]);
  writeFileSync(join(dir, "src/main.ts"), kind === "npm-cjs" ? MAIN_CJS : MAIN_ESM);
  run("tsc --noEmit", [...exec, "tsc", "--noEmit"]);
  run("tsc", [...exec, "tsc"]);

  // A typed call against the bundled local server, no key.
  const serve = spawnLogged([bin, "serve", "--port", "0"], dir, env);
  let printed: string;
  try {
    const url = (await serve.waitFor(/PROMPTC_LOCAL_URL=(http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    printed = run("first typed call", ["node", "dist/main.js"], { PROMPTC_LOCAL_URL: url });
  } finally {
    await serve.stop();
  }
  const { app, missingSdk } = JSON.parse(printed.trim().split("\n").at(-1)!) as Pick<DayResult, "app" | "missingSdk">;

  // Evals with no key: record the local server's replies, then replay them.
  const evalRecord = run("promptc eval --local --record", [...exec, "promptc", "eval", "--local", "--record"]);
  const evalReplay = run("promptc eval --replay", [...exec, "promptc", "eval", "--replay"]);

  // Watch mode picks up an edit.
  const watch = spawnLogged([bin, "build", "--watch"], dir, env);
  try {
    await watch.waitFor(/watching for changes/);
    const file = join(dir, "prompts/triage.prompt.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("You sort customer messages.", "You sort customer messages for Acme."));
    const generated = join(dir, kind === "npm-cjs" ? "src/generated/triage.mts" : "src/generated/triage.ts");
    const t0 = performance.now();
    await until(() => readFileSync(generated, "utf8").includes("for Acme."), 30_000, () => `watch never rebuilt ${generated}:\n${watch.log()}\nprompt now:\n${readFileSync(file, "utf8")}`);
    steps.push({ name: "watch: save at start to module", ms: Math.round(performance.now() - t0) });
    // And a later save, which the file watcher's own events carry.
    await watch.waitFor(/built \d+ prompts? into \S+ in \d+ ms \(1 file written/);
    writeFileSync(file, readFileSync(file, "utf8").replace("for Acme.", "for Acme Corp."));
    const t1 = performance.now();
    await until(() => readFileSync(generated, "utf8").includes("for Acme Corp."), 30_000, () => `watch never rebuilt ${generated} after a second save:\n${watch.log()}`);
    steps.push({ name: "watch: save to module", ms: Math.round(performance.now() - t1) });
  } finally {
    await watch.stop();
  }
  // A production install, fresh from the lockfile and without dev dependencies (the CLI among
  // them): the app still makes its typed calls; node_modules holds runtime, zod and one SDK.
  const installedDevKb = kilobytes(dir);
  if (kind === "pnpm-esm") run("production install", [...pm, "install", "--prod", "--frozen-lockfile"]);
  else {
    rmSync(join(dir, "node_modules"), { recursive: true, force: true });
    run("production install", ["npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"]);
  }
  // The CLI is gone with the dev dependencies: the same local server, from this repository's build.
  const local = spawnLogged(["node", "--input-type=module", "-e", LOCAL_SERVER], dir, env);
  const localUrl = (await local.waitFor(/(http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  let prod: Pick<DayResult, "app" | "missingSdk">;
  try {
    prod = JSON.parse(run("typed call, production install", ["node", "dist/main.js"], { PROMPTC_LOCAL_URL: localUrl }).trim().split("\n").at(-1)!) as Pick<DayResult, "app" | "missingSdk">;
  } finally {
    await local.stop();
  }
  if (JSON.stringify(prod) !== JSON.stringify({ app, missingSdk })) throw new Error(`the production install answered differently: ${JSON.stringify(prod)}`);
  return { dir, steps, app, missingSdk, editor, evalRecord, evalReplay, installedKb: kilobytes(dir), installedDevKb };
}

const LOCAL_SERVER = `const m = await import(${JSON.stringify(pathToFileURL(join(REPO, "packages/runtime/dist/testing/index.js")).href)});
const s = await m.startMockServer({ handler: m.standInReply });
console.log(s.url);
process.on("SIGINT", () => s.close().then(() => process.exit(0)));`;

/**
 * What VS Code's YAML extension would do with .vscode/settings.json: for each file, the schema
 * whose globs match it (paths resolve from the workspace folder), and whether the file passes it.
 */
function checkEditorSchemas(dir: string): DayResult["editor"] {
  const settings = JSON.parse(readFileSync(join(dir, ".vscode/settings.json"), "utf8")) as { "yaml.schemas": Record<string, string[]> };
  // Formats (uri, email) are the language server's business; the structure is what is checked here.
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const files = ["promptc.config.yaml", "prompts/triage.prompt.yaml", "prompts/support/priority.prompt.yaml", "prompts/support/priority.eval.yaml"];
  return files.map((file) => {
    const entry = Object.entries(settings["yaml.schemas"]).find(([, globs]) => globs.some((g) => matchesGlob(file, g)));
    if (!entry) return { file, schema: "(none)", valid: false, errors: "no schema maps this file" };
    let validate = compiled.get(entry[0]);
    if (!validate) compiled.set(entry[0], (validate = ajv.compile(JSON.parse(readFileSync(join(dir, entry[0]), "utf8")) as object)));
    const valid = validate(parseYaml(readFileSync(join(dir, file), "utf8"))) as boolean;
    return { file, schema: entry[0], valid, errors: ajv.errorsText(validate.errors) };
  });
}

/** The globs promptc init writes: `**\/*.ext` or a plain file name. */
function matchesGlob(file: string, glob: string): boolean {
  return glob.startsWith("**/") ? file.split("/").at(-1)!.endsWith(glob.slice(4)) : file === glob;
}

const kilobytes = (dir: string): number => Number(execFileSync("du", ["-sk", "node_modules"], { cwd: dir, encoding: "utf8" }).split("\t")[0]);

export function removeApp(r: DayResult | undefined): void {
  if (r) rmSync(r.dir, { recursive: true, force: true });
}

function spawnLogged(cmd: string[], cwd: string, env: Record<string, string>) {
  const child: ChildProcess = spawn(cmd[0]!, cmd.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    text += d;
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    log: () => text,
    waitFor: (re: RegExp, ms = 60_000): Promise<RegExpMatchArray> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`\`${cmd.join(" ")}\` never printed ${re}:\n${text}`)), ms);
        const check = () => {
          const m = re.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`\`${cmd.join(" ")}\` exited ${child.exitCode} before printing ${re}:\n${text}`));
          } else waiters.push(check);
        };
        child.once("exit", () => check());
        check();
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}

/** Polls a condition on disk (the watcher's output) until it holds. */
async function until(ok: () => boolean, ms: number, why: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (ok()) return;
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) throw new Error(why());
    await new Promise((r) => setTimeout(r, 25));
  }
}
