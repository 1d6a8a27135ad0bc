// A project's prompts and eval cases, built in memory (nothing written): what `eval`, `diff`
// and `bisect` run.
import { collectEvalCases, DiagnosticBag, readEvalFiles, VERSION_CODES, type CompiledPrompt, type Diagnostic, type EvalCaseIR, type ProjectBuilder } from "@promptc/core";

export interface ProjectEvals {
  /** False when a file has errors that stop evals (a version not bumped does not). */
  ok: boolean;
  prompts: CompiledPrompt[];
  cases: EvalCaseIR[];
  diagnostics: Diagnostic[];
}


export function projectEvals(builder: ProjectBuilder): ProjectEvals {
  const built = builder.build({ dryRun: true });
  const config = builder.currentConfig;
  const diagnostics = new DiagnosticBag();
  diagnostics.push(...built.diagnostics);
  if (!config) return { ok: false, prompts: [], cases: [], diagnostics: diagnostics.items };
  const cases = collectEvalCases(built.prompts.map((p) => p.ir), readEvalFiles(config.root, config.promptsDir, diagnostics), diagnostics);
  const ok = !diagnostics.items.some((d) => d.severity === "error" && !VERSION_CODES.has(d.code)) && (built.ok || built.prompts.length > 0);
  return { ok, prompts: built.prompts, cases, diagnostics: diagnostics.items };
}
