// promptc build [--check]
import { relative } from "node:path";
import type { BuildResult, ProjectBuilder } from "@promptc/core";
import { EXIT, noteDrafts, printDiagnostics } from "../output.js";

export function runBuild(builder: ProjectBuilder, check: boolean): number {
  const result = builder.build({ check });
  printDiagnostics(result.diagnostics);
  noteDrafts(result.drafts, lockfileName(builder));
  if (check) {
    const staleOnly = result.diagnostics.every((d) => d.severity === "warning" || d.code === "PC1601" || d.code === "PC1602");
    if (result.ok) process.stdout.write(`promptc: ${result.prompts.length} prompts, output and lockfile up to date\n`);
    return result.ok ? EXIT.OK : staleOnly ? EXIT.STALE : EXIT.ERRORS;
  }
  if (result.ok) process.stdout.write(summary(builder, result) + "\n");
  return result.ok ? EXIT.OK : EXIT.ERRORS;
}

export function summary(builder: ProjectBuilder, result: BuildResult): string {
  const out = builder.currentConfig ? relative(process.cwd(), builder.currentConfig.outDir) || "." : "";
  const wrote = result.changed.length ? `${result.changed.length} file${result.changed.length === 1 ? "" : "s"} written` : "no changes";
  return `promptc: built ${result.prompts.length} prompt${result.prompts.length === 1 ? "" : "s"} into ${out} in ${Math.round(result.durationMs)} ms (${wrote}${result.lockfileChanged ? ", lockfile updated" : ""})`;
}

export function lockfileName(builder: ProjectBuilder): string {
  return builder.currentConfig ? relative(process.cwd(), builder.currentConfig.lockfilePath) : "promptc.lock.json";
}
