// Terminal output: colour only for a TTY, and never when NO_COLOR is set.
import { formatDiagnostics, type BuildResult, type Diagnostic } from "@promptc/core";

export function useColor(stream: NodeJS.WriteStream = process.stderr): boolean {
  if (process.env["NO_COLOR"]) return false;
  if (process.env["FORCE_COLOR"] && process.env["FORCE_COLOR"] !== "0") return true;
  return !!stream.isTTY;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  const text = formatDiagnostics(diagnostics, { color: useColor() });
  if (text) process.stderr.write(text);
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  OK: 0,
  /** Errors in prompt files or the config. */
  ERRORS: 1,
  /** Bad command line: unknown command, option or prompt id, unreadable input file. */
  USAGE: 2,
  /** `build --check`: generated output or lockfile is stale. */
  STALE: 3,
} as const;

let draftsNoted = false;

/**
 * Says once per process that edits went through without a version bump, and from when that
 * stops: versions are frozen by a committed lockfile (docs/prompt-format.md, Versions).
 */
export function noteDrafts(drafts: BuildResult["drafts"], lockfile: string, write: (line: string) => void = (l) => process.stderr.write(l + "\n")): void {
  if (!drafts || draftsNoted) return;
  draftsNoted = true;
  const which = drafts.ids.length === 1 ? `\`${drafts.ids[0]}\` changed` : `${drafts.ids.length} prompts changed`;
  const why = drafts.reason === "no-git" ? "this folder is not in a git repository" : drafts.reason === "lockfile-not-committed" ? `git has no commit of ${lockfile} yet` : `${drafts.ids.length === 1 ? "its entry" : "their entries"} in ${lockfile} ${drafts.ids.length === 1 ? "is" : "are"} not committed yet`;
  write(`note: ${which} without a version bump, which is fine for a draft: ${why}. Versions are enforced from the commit that records a prompt in ${lockfile}; after that, a changed prompt needs a new version.`);
}
