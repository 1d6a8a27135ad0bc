// promptc init: sets promptc up in an existing app. It looks first (package manager, module
// type, TypeScript, the runtime and zod, the provider SDKs, git) and writes only when nothing
// it would write exists already, so a refusal leaves the folder as it was.
import type { Io } from "../io.js";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { EXIT } from "../output.js";
import { execCommand, inspectApp, installCommand, runCommand, type AppFacts } from "../app-facts.js";

/** The first prompt: a real task whose test case a real model and the local server both answer. */
const PROMPT = `version: 1
description: Sort a customer message into a category, with a one-line summary.
model:
  tier: fast
  max_tokens: 200
  temperature: 0
input:
  message: string, the customer's message
output:
  category(enum): [billing, bug, question]
  summary: string, one line
messages:
  - system: |
      You sort customer messages. Categories: billing (payments, invoices, refunds),
      bug (something is broken), question (anything else). Summarise the message in one line.
  - user: "{{message}}"
tests:
  - name: a double charge on an invoice is billing
    input: { message: "My invoice shows a double charge this month; please fix my billing." }
    expect: { category: billing }
`;

const PROVIDERS = {
  openai: { sdk: "openai", models: { fast: "openai:gpt-5.4-mini", balanced: "openai:gpt-5.4" } },
  anthropic: { sdk: "@anthropic-ai/sdk", models: { fast: "anthropic:claude-haiku-4-5", balanced: "anthropic:claude-sonnet-4-6" } },
} as const;

function config(app: AppFacts): string {
  // Tiers list the providers whose SDK the app has; with none or both, both (OpenAI first).
  const names = (Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[]).filter((p) => app.sdks.includes(PROVIDERS[p].sdk));
  const use = names.length ? names : (Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[]);
  const tier = (t: "fast" | "balanced") => `[${use.map((p) => PROVIDERS[p].models[t]).join(", ")}]`;
  return [
    "# promptc: where prompts live, where their TypeScript goes, and which models a tier means.",
    "prompts: prompts",
    `out: ${app.outDir}`,
    ...(app.module === "commonjs" ? ["# This package is CommonJS: generated ES modules are .mts files, loaded with require().", "out_extension: .mts"] : []),
    "providers:",
    ...use.map((p) => `  ${p}: { type: ${p} }`),
    "tiers:",
    `  fast: ${tier("fast")}`,
    `  balanced: ${tier("balanced")}`,
    "defaults:",
    "  retry: { attempts: 3, timeout: 30s }",
    "  on_invalid_output: { reask: 1 }",
    "",
  ].join("\n");
}

const SCHEMAS: [file: string, globs: string[]][] = [
  ["prompt.schema.json", ["**/*.prompt.yaml", "**/*.prompt.yml"]],
  ["eval.schema.json", ["**/*.eval.yaml", "**/*.eval.yml"]],
  ["config.schema.json", ["promptc.config.yaml"]],
];

/** Sets promptc up in the app at `dir`; `io.env` may say which package manager ran promptc. */
export function runInit(io: Io, dir: string): number {
  const out = (l: string) => void io.stdout.write(l + "\n");
  const err = (l: string) => void io.stderr.write(l + "\n");
  const app = inspectApp(dir, io.env);
  const refuse = (what: string, fix?: string): number => {
    err(`promptc init: ${what}`);
    if (fix) err(`  fix: ${fix}`);
    err("  nothing was written");
    return EXIT.ERRORS;
  };

  if (app.packageJsonError) return refuse(`package.json cannot be read (${app.packageJsonError})`, "fix package.json, then run promptc init again");
  if (!app.packageJson) return refuse(`no package.json in ${dir}: promptc is set up inside a Node app`, `${runCommand(app.pm, "init")} (then run promptc init again)`);
  if (!app.typescript) return refuse("this app has no TypeScript: promptc generates typed TypeScript modules", installCommand(app.pm, ["typescript"], true));
  const missing = ["@promptc/runtime", "zod"].filter((p) => !app.installed.has(p));
  if (missing.length) return refuse(`generated code imports ${missing.map((m) => `\`${m}\``).join(" and ")}, which ${missing.length === 1 ? "is" : "are"} not installed`, installCommand(app.pm, missing, false));

  const configPath = join(dir, "promptc.config.yaml");
  const promptPath = join(dir, "prompts", "triage.prompt.yaml");
  const taken = [configPath, promptPath].filter((p) => existsSync(p));
  if (taken.length) return refuse(`${taken.map((p) => relative(dir, p)).join(" and ")} already exist${taken.length === 1 ? "s" : ""}: promptc init does not overwrite`, "remove them to start again, or carry on with `promptc build`");

  const scripts = app.packageJson["scripts"] as Record<string, string> | undefined;
  const wantScripts: Record<string, string> = { "prompts:build": "promptc build", "prompts:watch": "promptc build --watch" };
  const clash = Object.entries(wantScripts).filter(([k, v]) => scripts?.[k] !== undefined && scripts[k] !== v).map(([k]) => k);
  if (clash.length) return refuse(`package.json already has script${clash.length === 1 ? "" : "s"} ${clash.map((c) => `\`${c}\``).join(", ")} doing something else`, "rename or remove them, then run promptc init again");

  // Editor settings: merged into an existing .vscode/settings.json only when it is plain JSON.
  const settingsPath = join(dir, ".vscode", "settings.json");
  const schemaBase = app.schemaDir ? toPosix(relative(dir, app.schemaDir)) : "node_modules/promptc/schema";
  const yamlSchemas = Object.fromEntries(SCHEMAS.map(([file, globs]) => [`./${schemaBase}/${file}`, globs]));
  let settings: Record<string, unknown> | null = {};
  if (existsSync(settingsPath)) {
    try {
      const parsed = JSON.parse(readFileSync(settingsPath, "utf8")) as unknown;
      settings = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
    } catch {
      settings = null; // comments or trailing commas: leave the user's file alone
    }
  }

  // Everything is decided: write.
  const wrote: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: "wx" });
    wrote.push(relative(dir, path));
  };
  write(configPath, config(app));
  write(promptPath, PROMPT);
  const pkg = { ...app.packageJson, scripts: { ...scripts, ...wantScripts } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, app.indent) + "\n");
  wrote.push("package.json (scripts prompts:build, prompts:watch)");
  if (settings) {
    const merged = { ...settings, "yaml.schemas": { ...(settings["yaml.schemas"] as Record<string, unknown> | undefined), ...yamlSchemas } };
    mkdirSync(dirname(settingsPath), { recursive: true });
    writeFileSync(settingsPath, JSON.stringify(merged, null, 2) + "\n");
    wrote.push(".vscode/settings.json (yaml.schemas: prompt, eval and config files validated and completed)");
  }

  out(`promptc init: set up ${app.module === "module" ? "an ES module" : "a CommonJS"} ${app.pm} app in ${dir}`);
  for (const w of wrote) out(`  wrote ${w}`);
  const notes: string[] = [];
  if (!settings) notes.push(`.vscode/settings.json is not plain JSON, so it was left alone; for editor support add "yaml.schemas": ${JSON.stringify(yamlSchemas)}`);
  if (!app.schemaDir) notes.push(`promptc is not installed in this app, so the editor schemas in .vscode/settings.json point at nothing yet: ${installCommand(app.pm, ["promptc"], true)}`);
  if (!app.sdks.length) notes.push(`no provider SDK is installed: ${installCommand(app.pm, ["openai"], false)} (or @anthropic-ai/sdk) before calling a model; \`promptc serve\` and \`promptc eval --local\` need none`);
  if (!app.git) notes.push("not a git repository: prompts are drafts (no version bumps needed) until promptc.lock.json is committed");
  if (app.module === "commonjs") notes.push(`this package is CommonJS (no "type": "module"), so generated files are .mts ES modules; load them with require(), which needs Node >= 20.19 and, in TypeScript, "module": "nodenext"`);
  for (const n of notes) out(`  note: ${n}`);
  const entry = `./${toPosix(relative(app.srcDir, join(dir, app.outDir))) || "."}/index.${app.module === "commonjs" ? "mjs" : "js"}`;
  const steps: [string, string][] = [
    [runCommand(app.pm, "prompts:build"), `build prompts/*.prompt.yaml into ${app.outDir}/`],
    [execCommand(app.pm, "promptc eval --local"), "run the test cases against the bundled local server (no key)"],
    [execCommand(app.pm, "promptc serve"), "a local stand-in for OpenAI and Anthropic: run your app with PROMPTC_LOCAL_URL as it says"],
    [runCommand(app.pm, "prompts:watch"), "rebuild on every save"],
  ];
  const width = Math.max(...steps.map(([c]) => c.length));
  out("");
  out("next:");
  out(`  ${steps[0]![0].padEnd(width)}  ${steps[0]![1]}`);
  out(`  then, in ${toPosix(relative(dir, app.srcDir)) || "."}/: ${app.module === "commonjs" ? `import prompts = require("${entry}");  // prompts.triage({ message })` : `import { triage } from "${entry}";`}`);
  for (const [c, what] of steps.slice(1)) out(`  ${c.padEnd(width)}  ${what}`);
  return EXIT.OK;
}

function toPosix(p: string): string {
  return p.split("\\").join("/");
}
