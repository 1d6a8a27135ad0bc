// Test helpers: run the built promptc binary in a scratch folder.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cwd: string, args: string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like run(), without blocking this process: a server in the test process can answer. */
export function runAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function spawnPromptc(cwd: string, args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" }, stdio: ["ignore", "pipe", "pipe"] });
}

/** A scratch copy of the repo's example prompts and config, writing into ./generated. */
export function scratchProject(): { dir: string; write(path: string, text: string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "promptc-cli-"));
  cpSync(join(REPO, "prompts"), join(dir, "prompts"), { recursive: true });
  cpSync(join(REPO, "promptc.config.yaml"), join(dir, "promptc.config.yaml"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const config = spawnSync("sed", ["-i", "s#^out: .*#out: generated#", join(dir, "promptc.config.yaml")]);
  if (config.status !== 0) throw new Error("could not rewrite config");
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A scratch project in a git repository: the example prompts built and committed on `main`
 * (generated code ignored), as a pull request's base. `edit` changes a prompt file in place.
 */
export function gitProject(): { dir: string; git(...args: string[]): Buffer; edit(file: string, from: string, to: string): void; remove(): void } {
  const p = scratchProject();
  const git = (...args: string[]) => execFileSync("git", ["-C", p.dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { stdio: "pipe" });
  git("init", "-q", "-b", "main");
  const built = run(p.dir, ["build"]);
  if (built.code !== 0) throw new Error(`promptc build failed:\n${built.stderr}`);
  writeFileSync(join(p.dir, ".gitignore"), "generated/\n");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  const edit = (file: string, from: string, to: string) => {
    const path = join(p.dir, "prompts", file);
    const text = readFileSync(path, "utf8");
    if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
    writeFileSync(path, text.replace(from, to));
  };
  return { dir: p.dir, git, edit, remove: p.remove };
}
