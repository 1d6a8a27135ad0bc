// The project as it was at a commit: its tree extracted (git archive) into a scratch folder and
// opened there, so old versions build exactly as they did, writing nothing to the work tree.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ProjectBuilder } from "@promptc/core";

export function git(dir: string, args: string[]): Buffer {
  return execFileSync("git", ["-C", dir, ...args], { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
}

export const gitTop = (dir: string): string => git(dir, ["rev-parse", "--show-toplevel"]).toString().trim();

/**
 * Calls `fn` with the project opened at `commit`, or with null when the commit has no config
 * file (the project did not exist yet). `paths` (relative to the project root) limits what is
 * extracted; the config file is always included.
 */
export function atCommit<T>(builder: ProjectBuilder, commit: string, fn: (project: ProjectBuilder | null) => T, paths?: string[]): T {
  const top = gitTop(builder.root);
  const scratch = mkdtempSync(join(tmpdir(), "promptc-tree-"));
  try {
    const inRepo = (p: string) => relative(top, join(builder.root, p)).split("\\").join("/") || ".";
    const wanted = paths ? [...paths.map(inRepo), ...(builder.configPath ? [relative(top, builder.configPath)] : [])] : [];
    // A path the commit does not have would make git archive fail: ask only for those it has.
    const present = wanted.length ? wanted.filter((p) => git(top, ["ls-tree", "--name-only", commit, "--", p]).length > 0) : [];
    if (wanted.length && !present.length) return fn(null);
    execFileSync("tar", ["-x", "-C", scratch], { input: git(top, ["archive", "--format=tar", commit, ...(present.length ? ["--", ...present] : [])]), stdio: ["pipe", "ignore", "pipe"] });
    const root = join(scratch, relative(top, builder.root));
    const config = builder.configPath ? join(scratch, relative(top, builder.configPath)) : null;
    if (config && !existsSync(config)) return fn(null);
    return fn(new ProjectBuilder(root, config));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
