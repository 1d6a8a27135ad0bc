// *.eval.yaml suites: found under the prompts folder, checked against the prompt they test,
// and gathered with the prompts' own `tests:` into one list of eval cases.
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { findFiles } from "../project/find-files.js";
import { didYouMean, type DiagnosticBag } from "../diagnostics/index.js";
import { EvalFile } from "../format/eval-file.js";
import { validateFormat } from "../format/validate.js";
import type { PromptIR, TestCaseIR } from "../ir/prompt-ir.js";
import { parseYaml, spanAt } from "../source/yaml.js";
import { assertionSpan, compileAssertions } from "./assertion.js";
import { caseOf, compileTestCase, testCaseSpan } from "./test-case.js";

export const EVAL_SUFFIX = ".eval.yaml";

/** One case to run: a prompt's test or a suite's case. */
export interface EvalCaseIR extends TestCaseIR {
  promptId: string;
}

export interface EvalSourceFile {
  /** Path shown to users, relative to the project root. */
  source: string;
  text: string;
}

/** *.eval.yaml under the prompts folder, sorted. */
export function discoverEvalFiles(promptsDir: string): string[] {
  return findFiles(promptsDir, [EVAL_SUFFIX, ".eval.yml"]);
}

/** Reads the eval files under `promptsDir`, with paths shown relative to `root`. */
export function readEvalFiles(root: string, promptsDir: string, diagnostics: DiagnosticBag): EvalSourceFile[] {
  return discoverEvalFiles(promptsDir).flatMap((path) => {
    const source = relative(root, path).split(sep).join("/");
    try {
      return [{ source, text: readFileSync(path, "utf8") }];
    } catch (e) {
      diagnostics.error("PC1005", `cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return [];
    }
  });
}

export function compileEvalFile(file: EvalSourceFile, prompts: ReadonlyMap<string, PromptIR>, diagnostics: DiagnosticBag): EvalCaseIR[] {
  const src = parseYaml(file.source, file.text, diagnostics);
  if (!src) return [];
  const data = validateFormat(EvalFile, src, diagnostics);
  if (!data) return [];
  const prompt = prompts.get(data.prompt);
  if (!prompt) {
    diagnostics.error("PC1505", `no prompt \`${data.prompt}\` to evaluate`, spanAt(src, ["prompt"]), didYouMean(data.prompt, prompts.keys()) ?? "an id is the prompt file's path under the prompts folder, without .prompt.yaml");
    return [];
  }
  const shared = compileAssertions(data.assert ?? [], src, ["assert"], prompt.output, diagnostics);
  return data.cases.map((c, i) => caseOf(prompt.id, compileTestCase(c, src, ["cases", i], prompt.input, prompt.output, diagnostics, shared)));
}

/**
 * Every eval case of the project: each prompt's `tests:`, then each eval file's cases, with
 * the judges they name checked. Cases whose prompt is not in `prompts` are left out.
 */
export function collectEvalCases(prompts: readonly PromptIR[], files: readonly EvalSourceFile[], diagnostics: DiagnosticBag): EvalCaseIR[] {
  const byId = new Map(prompts.map((p) => [p.id, p]));
  const cases: EvalCaseIR[] = prompts.flatMap((p) => p.tests.map((t) => caseOf(p.id, t)));
  for (const f of files) cases.push(...compileEvalFile(f, byId, diagnostics));
  // Reports, diffs and bisect match a prompt's cases by name across versions.
  const seen = new Map<string, EvalCaseIR>();
  for (const c of cases) {
    const key = `${c.promptId}\0${c.name}`;
    const first = seen.get(key);
    if (first) diagnostics.error("PC1501", `\`${c.promptId}\` has two eval cases named \`${c.name}\` (the first at ${first.at})`, testCaseSpan(c), "give each case of a prompt its own name");
    else seen.set(key, c);
  }
  const checked = new Set<object>();
  for (const c of cases) {
    for (const a of c.assert) {
      if (a.type !== "judge" || checked.has(a)) continue;
      checked.add(a);
      const judge = byId.get(a.value as string);
      if (!judge) {
        diagnostics.error("PC1505", `no judge prompt \`${String(a.value)}\``, assertionSpan(a), didYouMean(String(a.value), byId.keys()) ?? "a judge is a prompt file in this project; name it by its id");
        continue;
      }
      const problem = judgeProblem(judge);
      if (problem) diagnostics.error("PC1506", `\`${judge.id}\` cannot be a judge: ${problem}`, assertionSpan(a), "a judge's input has `output` (and may have `input`, `criteria`, `expected`); its output has `pass: boolean`, and may have `score: number` and `reason: string`");
    }
  }
  return cases;
}

const JUDGE_INPUTS = ["output", "input", "criteria", "expected"];

/** Why a prompt cannot judge an output, or null when it can. */
export function judgeProblem(judge: PromptIR): string | null {
  const names = judge.input.properties.map((p) => p.name);
  if (!names.includes("output")) return "its input has no `output` field";
  const unknown = judge.input.properties.find((p) => p.required && !JUDGE_INPUTS.includes(p.name));
  if (unknown) return `its input requires \`${unknown.name}\`, which an eval cannot fill`;
  if (judge.output.kind !== "object") return "its output is not an object";
  const pass = judge.output.properties.find((p) => p.name === "pass");
  if (!pass || !pass.required || pass.schema.kind !== "boolean") return "its output has no required `pass: boolean`";
  const score = judge.output.properties.find((p) => p.name === "score");
  if (score && score.schema.kind !== "number") return "its `score` is not a number";
  return null;
}
