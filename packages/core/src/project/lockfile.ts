// promptc.lock.json: the committed record of each prompt's version and content hash.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface LockEntry {
  version: number;
  hash: string;
  /** The exported function name, kept from the first build on (absent in older lockfiles). */
  name?: string;
}

export interface Lockfile {
  lockfileVersion: 1;
  prompts: Record<string, LockEntry>;
}

function emptyLockfile(): Lockfile {
  return { lockfileVersion: 1, prompts: {} };
}

export function readLockfile(path: string): Lockfile {
  if (!existsSync(path)) return emptyLockfile();
  const data = JSON.parse(readFileSync(path, "utf8")) as Partial<Lockfile>;
  if (data.lockfileVersion !== 1 || typeof data.prompts !== "object" || data.prompts === null) {
    throw new Error(`${path}: not a promptc lockfile (expected lockfileVersion 1)`);
  }
  return { lockfileVersion: 1, prompts: data.prompts };
}

/** Sorted keys and a trailing newline, so the file diffs cleanly in review. */
export function serializeLockfile(lock: Lockfile): string {
  const prompts = Object.fromEntries(Object.entries(lock.prompts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => [id, e.name === undefined ? { version: e.version, hash: e.hash } : { version: e.version, hash: e.hash, name: e.name }]));
  return JSON.stringify({ lockfileVersion: 1, prompts }, null, 2) + "\n";
}

/**
 * Why a prompt's version is not frozen yet: there is no git repository, git has no lockfile at
 * HEAD, or the lockfile at HEAD has no entry for the prompt.
 */
export type DraftReason = "no-git" | "lockfile-not-committed" | "entry-not-committed";

/**
 * The lockfile as committed at git HEAD, or why there is none. A version is frozen once its
 * lock entry is committed; until then it may be edited freely.
 */
export function readCommittedLockfile(path: string): Lockfile | { draft: DraftReason } {
  const git = (args: string[]) => execFileSync("git", ["-C", dirname(path), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
  let text: string;
  try {
    text = git(["show", `HEAD:./${basename(path)}`]);
  } catch {
    try {
      git(["rev-parse", "--is-inside-work-tree"]);
      return { draft: "lockfile-not-committed" };
    } catch {
      return { draft: "no-git" };
    }
  }
  try {
    const data = JSON.parse(text) as Partial<Lockfile>;
    if (data.lockfileVersion === 1 && data.prompts) return { lockfileVersion: 1, prompts: data.prompts };
  } catch {
    // a committed file that is not a lockfile: nothing was frozen by it
  }
  return { draft: "lockfile-not-committed" };
}

/**
 * What tells whether the committed lockfile can have changed, without running git: the
 * repository's HEAD, and the times of the ref it names and of packed-refs (a commit, a checkout, a
 * rebase or an amend changes one of them). "no-git" outside a repository; null when it cannot
 * tell (then nothing is reused).
 */
export function headFingerprint(dir: string): string | null {
  try {
    for (let d = resolve(dir); ; d = dirname(d)) {
      const dotgit = join(d, ".git");
      if (!existsSync(dotgit)) {
        if (dirname(d) === d) return "no-git";
        continue;
      }
      let gitdir = dotgit;
      if (statSync(dotgit).isFile()) {
        const to = /^gitdir: (.*)$/m.exec(readFileSync(dotgit, "utf8"))?.[1];
        if (!to) return null;
        gitdir = resolve(d, to.trim());
      }
      const head = readFileSync(join(gitdir, "HEAD"), "utf8").trim();
      const common = existsSync(join(gitdir, "commondir")) ? resolve(gitdir, readFileSync(join(gitdir, "commondir"), "utf8").trim()) : gitdir;
      const ref = /^ref: (.*)$/.exec(head)?.[1];
      const mtime = (p: string) => (existsSync(p) ? statSync(p).mtimeMs : 0);
      return [gitdir, head, ref ? mtime(join(common, ref)) : "", mtime(join(common, "packed-refs"))].join("|");
    }
  } catch {
    return null;
  }
}

/** A git ref that does not name a commit here. */
export class GitRefError extends Error {
  constructor(readonly ref: string, detail: string) {
    super(`git ref \`${ref}\` does not name a commit in this repository (${detail})`);
    this.name = "GitRefError";
  }
}

/**
 * The lockfile as it was at `ref` (a branch, tag or commit); empty when the ref has none (a
 * project that starts in this change). Throws GitRefError for a ref that does not exist.
 */
/** The commit `ref` names, seen from the repository holding `dir`; throws GitRefError. */
export function resolveCommit(dir: string, ref: string): string {
  try {
    return execFileSync("git", ["-C", dir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 }).trim();
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim();
    throw new GitRefError(ref, stderr || "git rev-parse found nothing; fetch it first, e.g. `git fetch origin main`");
  }
}

export function readLockfileAt(path: string, ref: string): Lockfile {
  const commit = resolveCommit(dirname(path), ref);
  let text: string;
  try {
    text = execFileSync("git", ["-C", dirname(path), "show", `${commit}:./${basename(path)}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
  } catch {
    return emptyLockfile();
  }
  const data = JSON.parse(text) as Partial<Lockfile>;
  if (data.lockfileVersion !== 1 || typeof data.prompts !== "object" || data.prompts === null) throw new Error(`${basename(path)} at ${ref}: not a promptc lockfile`);
  return { lockfileVersion: 1, prompts: data.prompts };
}
