// Test helpers: run the built promptc binary in a scratch folder.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
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
