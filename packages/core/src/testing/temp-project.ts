// Test helper: a throwaway promptc project on disk. It lives under packages/core so that
// generated modules resolve `zod` and `@promptc/runtime` like a user's project would.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const base = fileURLToPath(new URL("../../.test-projects/", import.meta.url));

export interface TempProject {
  dir: string;
  write(path: string, text: string): void;
  /** Commits everything in the project's own git repository (made on the first call): versions freeze. */
  commit(message?: string): void;
  remove(): void;
}

export function tempProject(files: Record<string, string> = {}): TempProject {
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "p-"));
  const write = (path: string, text: string) => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  for (const [p, t] of Object.entries(files)) write(p, t);
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { stdio: "pipe" });
  const commit = (message = "commit") => {
    if (!existsSync(join(dir, ".git"))) git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
  };
  return { dir, write, commit, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const BASIC_CONFIG = `prompts: prompts
out: out
tiers:
  fast: [openai:gpt-4.1-mini]
  balanced: [anthropic:claude-sonnet-4-6]
`;
