// promptc build [--check]
import { STALE_CODES, type ProjectBuilder } from "@promptc/core";
import type { Io } from "../io.js";
import { buildSummary, EXIT, lockfileName, noteDrafts, printDiagnostics } from "../output.js";

export function runBuild(io: Io, builder: ProjectBuilder, check: boolean): number {
  const result = builder.build({ check });
  printDiagnostics(io, result.diagnostics);
  noteDrafts(io, result.drafts, lockfileName(io, builder));
  if (check) {
    const staleOnly = result.diagnostics.every((d) => d.severity === "warning" || STALE_CODES.has(d.code));
    if (result.ok) io.stdout.write(`promptc: ${result.prompts.length} prompts, output and lockfile up to date\n`);
    return result.ok ? EXIT.OK : staleOnly ? EXIT.STALE : EXIT.ERRORS;
  }
  if (result.ok) io.stdout.write(buildSummary(io, builder, result) + "\n");
  return result.ok ? EXIT.OK : EXIT.ERRORS;
}
