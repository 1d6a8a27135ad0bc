// promptc init in the shapes of app it meets: npm and pnpm layouts, ES modules and CommonJS,
// missing pieces, things already there. It refuses before writing anything, or writes it all.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ProjectBuilder } from "@promptc/core";
import { capturedIo } from "../testing/cli.js";
import { runInit } from "./init.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface AppShape {
  pkg?: Record<string, unknown> | null;
  /** Packages present in node_modules (and declared in package.json). */
  deps?: string[];
  layout?: "npm" | "pnpm";
  files?: Record<string, string>;
}

const FULL = ["typescript", "@promptc/runtime", "zod", "promptc"];

function app({ pkg = { name: "app", version: "1.0.0", type: "module" }, deps = FULL, layout = "npm", files = {} }: AppShape = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "promptc-init-"));
  dirs.push(dir);
  if (pkg) writeFileSync(join(dir, "package.json"), JSON.stringify({ ...pkg, devDependencies: Object.fromEntries(deps.map((d) => [d, "*"])) }, null, 2) + "\n");
  if (layout === "pnpm") writeFileSync(join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
  for (const d of deps) {
    // pnpm links a direct dependency from node_modules/<name> into node_modules/.pnpm/<name>@<v>/node_modules/<name>.
    const real = layout === "pnpm" ? join(dir, "node_modules/.pnpm", `${d.replace("/", "+")}@1.0.0`, "node_modules", d) : join(dir, "node_modules", d);
    mkdirSync(real, { recursive: true });
    writeFileSync(join(real, "package.json"), JSON.stringify({ name: d, version: "1.0.0" }));
    if (d === "promptc") {
      mkdirSync(join(real, "schema"));
      for (const f of ["prompt", "eval", "config"]) writeFileSync(join(real, "schema", `${f}.schema.json`), "{}");
    }
    if (layout === "pnpm") {
      mkdirSync(join(dir, "node_modules", d, ".."), { recursive: true });
      symlinkSync(real, join(dir, "node_modules", d));
    }
  }
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

function init(dir: string, env: Record<string, string> = {}) {
  const io = capturedIo(dir, env);
  const code = runInit(io, dir);
  return { code, out: io.out.join("").trimEnd(), err: io.err.join("").trimEnd() };
}

/** Every file under dir but node_modules, with its text: what a refusal must leave alone. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    if (e.isFile() && !path.includes("node_modules")) files[path] = readFileSync(path, "utf8");
  }
  return files;
}

describe("promptc init refuses, naming the one command that fixes it, and writes nothing", () => {
  const cases: [string, AppShape, RegExp, RegExp][] = [
    ["a folder without package.json", { pkg: null }, /no package\.json/, /fix: npm init -y/],
    ["a package.json that is not JSON", { pkg: null, files: { "package.json": "{ name: broken" } }, /package\.json cannot be read \(/, /fix: fix package\.json, then run promptc init again/],
    ["an app without TypeScript", { deps: ["@promptc/runtime", "zod", "promptc"] }, /no TypeScript/, /fix: npm i -D typescript/],
    ["a pnpm app without TypeScript", { deps: ["@promptc/runtime", "zod", "promptc"], layout: "pnpm" }, /no TypeScript/, /fix: pnpm add -D typescript/],
    ["an app without zod", { deps: ["typescript", "@promptc/runtime", "promptc"] }, /imports `zod`, which is not installed/, /fix: npm i zod$/m],
    ["an app without the runtime or zod", { deps: ["typescript", "promptc"] }, /`@promptc\/runtime` and `zod`, which are not installed/, /fix: npm i @promptc\/runtime zod/],
    ["an existing config", { files: { "promptc.config.yaml": "prompts: mine\n" } }, /promptc\.config\.yaml already exists: promptc init does not overwrite/, /promptc build/],
    ["a script of the same name", { pkg: { name: "a", type: "module", scripts: { "prompts:build": "make prompts" } } }, /already has script `prompts:build` doing something else/, /rename or remove/],
  ];
  for (const [name, shape, what, fix] of cases) {
    it(name, () => {
      const dir = app(shape);
      const before = snapshot(dir);
      const r = init(dir);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(what);
      expect(r.err).toMatch(fix);
      expect(r.err).toContain("nothing was written");
      expect(snapshot(dir)).toEqual(before);
    });
  }
});

describe("promptc init sets an app up", () => {
  for (const layout of ["npm", "pnpm"] as const) {
    it(`an ES module ${layout} app: config, a prompt with a test case that builds, scripts, and editor schemas that resolve`, () => {
      const dir = app({ layout, files: { "src/main.ts": "export {};\n" } });
      const r = init(dir);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain(`set up an ES module ${layout} app`);
      expect(r.out).toContain("wrote promptc.config.yaml");
      expect(r.out).toContain("wrote prompts/triage.prompt.yaml");
      expect(r.out).toContain(layout === "pnpm" ? "pnpm prompts:build" : "npm run prompts:build");
      expect(r.out).toContain('import { triage } from "./generated/index.js";');
      const config = readFileSync(join(dir, "promptc.config.yaml"), "utf8");
      expect(config).toContain("out: src/generated");
      expect(config).not.toContain("out_extension");
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      expect(pkg.scripts).toEqual({ "prompts:build": "promptc build", "prompts:watch": "promptc build --watch" });
      expect(pkg.type).toBe("module");
      // Each schema path resolves from the project root (VS Code's workspace folder), for files at any depth.
      const schemas = JSON.parse(readFileSync(join(dir, ".vscode/settings.json"), "utf8"))["yaml.schemas"] as Record<string, string[]>;
      expect(Object.keys(schemas)).toHaveLength(3);
      for (const [path, globs] of Object.entries(schemas)) {
        expect(existsSync(resolve(dir, path)), path).toBe(true);
        expect(globs.some((g) => g.startsWith("**/") || g === "promptc.config.yaml")).toBe(true);
      }
      // The first prompt builds, and its test case has an expectation.
      const built = new ProjectBuilder(dir, join(dir, "promptc.config.yaml")).build();
      expect(built.ok, JSON.stringify(built.diagnostics)).toBe(true);
      expect(built.names.get(built.prompts[0]!.ir.id)).toBe("triage");
      expect(readFileSync(join(dir, "prompts/triage.prompt.yaml"), "utf8")).toMatch(/tests:\n  - name: .*\n    input: .*\n    expect: \{ category: billing \}/);
    });
  }

  it("a CommonJS app gets .mts output and is told how to require it", () => {
    const dir = app({ pkg: { name: "cjs", version: "1.0.0" } });
    const r = init(dir);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, "promptc.config.yaml"), "utf8")).toContain("out_extension: .mts");
    expect(r.out).toContain("set up a CommonJS npm app");
    expect(r.out).toContain('import prompts = require("./generated/index.mjs");');
    expect(r.out).toContain('"module": "nodenext"');
    const built = new ProjectBuilder(dir, join(dir, "promptc.config.yaml")).build();
    expect(built.ok).toBe(true);
    expect(existsSync(join(dir, "generated/index.mts"))).toBe(true);
  });

  it("keeps an existing .vscode/settings.json: merged when it is JSON, left alone (with the lines to add) when it has comments", () => {
    const plain = app({ files: { ".vscode/settings.json": '{ "editor.tabSize": 4 }' } });
    expect(init(plain).code).toBe(0);
    const merged = JSON.parse(readFileSync(join(plain, ".vscode/settings.json"), "utf8"));
    expect(merged["editor.tabSize"]).toBe(4);
    expect(Object.keys(merged["yaml.schemas"])).toHaveLength(3);

    const jsonc = "{\n  // mine\n  \"editor.tabSize\": 4,\n}\n";
    const commented = app({ files: { ".vscode/settings.json": jsonc } });
    const r = init(commented);
    expect(r.code).toBe(0);
    expect(readFileSync(join(commented, ".vscode/settings.json"), "utf8")).toBe(jsonc);
    expect(r.out).toContain(".vscode/settings.json is not plain JSON, so it was left alone; for editor support add \"yaml.schemas\"");
  });

  it("says what is missing without refusing: promptc itself, a provider SDK, git", () => {
    const dir = app({ deps: ["typescript", "@promptc/runtime", "zod"] });
    const r = init(dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("promptc is not installed in this app, so the editor schemas in .vscode/settings.json point at nothing yet: npm i -D promptc");
    expect(r.out).toContain("no provider SDK is installed: npm i openai (or @anthropic-ai/sdk)");
    expect(r.out).toContain("not a git repository: prompts are drafts");
  });

  it("without a lockfile, takes the package manager that ran it", () => {
    const dir = app({ deps: ["@promptc/runtime", "zod", "promptc"] });
    expect(init(dir, { npm_config_user_agent: "pnpm/10.34.9 npm/? node/v20.20.2 linux x64" }).err).toContain("fix: pnpm add -D typescript");
    expect(init(dir, { npm_config_user_agent: "yarn/1.22.22 npm/? node/v20.20.2 linux x64" }).err).toContain("fix: yarn add -D typescript");
  });

  it("tiers name only the providers whose SDK the app has", () => {
    const dir = app({ deps: [...FULL, "@anthropic-ai/sdk"] });
    expect(init(dir).code).toBe(0);
    const config = readFileSync(join(dir, "promptc.config.yaml"), "utf8");
    expect(config).toContain("fast: [anthropic:claude-haiku-4-5]");
    expect(config).not.toContain("openai");
  });
});
