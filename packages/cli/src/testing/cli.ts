// Test helpers: run promptc in a scratch folder, in process (`run`: main(argv, io) with its own
// working directory, environment and captured output) or as the built binary (`spawnRun`,
// `spawnPromptc`: the smoke tests that the command line itself works).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDiagnostics, ProjectBuilder } from "@promptc/core";
import type { Io } from "../io.js";
import { main } from "../program.js";

const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An Io that captures what a command writes; `interrupted` resolves when the test calls `interrupt()`. */
export function capturedIo(cwd: string, env: Record<string, string | undefined>, tty = false): Io & { out: string[]; err: string[]; interrupt(): void } {
  const out: string[] = [];
  const err: string[] = [];
  let interrupt!: () => void;
  const stopped = new Promise<void>((resolve) => (interrupt = resolve));
  return {
    cwd, env, out, err, interrupt,
    stdout: { write: (s: string) => void out.push(s), isTTY: tty },
    stderr: { write: (s: string) => void err.push(s), isTTY: tty },
    interrupted: () => stopped,
  };
}

/** promptc in this process: `main(args, io)` in `cwd`, with the environment a spawned run would have. */
export async function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const io = capturedIo(cwd, { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...env });
  const code = await main(args, io);
  return { code, stdout: io.out.join(""), stderr: io.err.join("") };
}

/** The built binary, as a user runs it: for the smoke tests of each command family. */
export function spawnRun(cwd: string, args: string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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
  const built = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml"), { cwd: p.dir }).build();
  if (!built.ok) throw new Error(`promptc build failed:\n${formatDiagnostics(built.diagnostics, { color: false })}`);
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
