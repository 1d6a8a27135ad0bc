// promptc check --base <git-ref>: the pull-request gate. Fails when a prompt changed without a
// version bump or its version went backwards, against the lockfile as it is at the base ref,
// or when promptc.lock.json does not match the prompts. Writes nothing.
import type { Io } from "../io.js";
import { GitRefError, type ProjectBuilder } from "@promptc/core";
import { EXIT, printDiagnostics } from "../output.js";

export function runCheck(io: Io, builder: ProjectBuilder, ref: string | undefined): number {
  if (!ref) {
    io.stderr.write("promptc check: --base <git-ref> is required: the branch, tag or commit the change is reviewed against (e.g. origin/main)\n");
    return EXIT.USAGE;
  }
  let result;
  try {
    result = builder.build({ dryRun: true, base: ref });
  } catch (e) {
    if (!(e instanceof GitRefError)) throw e;
    io.stderr.write(`promptc check: ${e.message}\n`);
    return EXIT.USAGE;
  }
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return EXIT.ERRORS;
  const base = result.baseLock?.prompts ?? {};
  const bumped = result.prompts.filter((p) => base[p.ir.id] && base[p.ir.id]!.version !== p.ir.version).length;
  const added = result.prompts.filter((p) => !base[p.ir.id]).length;
  io.stdout.write(`promptc check: ${result.prompts.length} prompts against ${ref}: ${bumped} with a new version, ${added} new; versions and lockfile are in order\n`);
  return EXIT.OK;
}
