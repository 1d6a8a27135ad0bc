// Terminal output: colour only for a TTY, and never when NO_COLOR is set.
import { relative } from "node:path";
import { formatDiagnostics, type BuildResult, type Diagnostic, type ProjectBuilder } from "@promptc/core";
import type { Io, Out } from "./io.js";

export function useColor(io: Io, stream: Out = io.stderr): boolean {
  if (io.env["NO_COLOR"]) return false;
  if (io.env["FORCE_COLOR"] && io.env["FORCE_COLOR"] !== "0") return true;
  return !!stream.isTTY;
}

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): void {
  const text = formatDiagnostics(diagnostics, { color: useColor(io) });
  if (text) io.stderr.write(text);
}

/** Exit codes, documented in docs/cli.md. */
export { EXIT } from "./exit-codes.js";

/** The Io objects told about drafts already: once per process for the binary, once per run in tests. */
const draftsNoted = new WeakSet<Io>();

/**
 * Says once per process that edits went through without a version bump, and from when that
 * stops: versions are frozen by a committed lockfile (docs/prompt-format.md, Versions).
 */
export function noteDrafts(io: Io, drafts: BuildResult["drafts"], lockfile: string, write: (line: string) => void = (l) => io.stderr.write(l + "\n")): void {
  if (!drafts || draftsNoted.has(io)) return;
  draftsNoted.add(io);
  const which = drafts.ids.length === 1 ? `\`${drafts.ids[0]}\` changed` : `${drafts.ids.length} prompts changed`;
  const why = drafts.reason === "no-git" ? "this folder is not in a git repository" : drafts.reason === "lockfile-not-committed" ? `git has no commit of ${lockfile} yet` : `${drafts.ids.length === 1 ? "its entry" : "their entries"} in ${lockfile} ${drafts.ids.length === 1 ? "is" : "are"} not committed yet`;
  write(`note: ${which} without a version bump, which is fine for a draft: ${why}. Versions are enforced from the commit that records a prompt in ${lockfile}; after that, a changed prompt needs a new version.`);
}

/** One line after a build: how many prompts, where, how long, what was written. */
export function buildSummary(io: Io, builder: ProjectBuilder, result: BuildResult): string {
  const out = builder.currentConfig ? relative(io.cwd, builder.currentConfig.outDir) || "." : "";
  const wrote = result.changed.length ? `${result.changed.length} file${result.changed.length === 1 ? "" : "s"} written` : "no changes";
  return `promptc: built ${result.prompts.length} prompt${result.prompts.length === 1 ? "" : "s"} into ${out} in ${Math.round(result.durationMs)} ms (${wrote}${result.lockfileChanged ? ", lockfile updated" : ""})`;
}

/** The lockfile's path as the user sees it. */
export function lockfileName(io: Io, builder: ProjectBuilder): string {
  return builder.currentConfig ? relative(io.cwd, builder.currentConfig.lockfilePath) : "promptc.lock.json";
}
