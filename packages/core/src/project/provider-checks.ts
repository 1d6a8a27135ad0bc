// What the chain's providers would refuse or change, said at build time where the prompt declares
// it: OpenAI's strict-mode limits (PC1403) and keywords (PC1404), Anthropic's tool rules (PC1407),
// and a budget over a model with no price (PC1406). They read the prompt's emitted JSON Schemas,
// which the IR does not hold (emit/schema/prompt-schemas.ts derives them once per prompt).
import { outputName, priceOf, travelsWrapped } from "@promptc/runtime";
import { anthropicToolProblems, toolFor } from "@promptc/runtime/providers";
import { jsonSchemasOf } from "../emit/schema/prompt-schemas.js";
import type { PromptIR } from "../ir/prompt-ir.js";
import { spanAt, type YamlSource } from "../source/yaml.js";
import type { DiagnosticBag } from "../diagnostics/index.js";
import type { ResolvedConfig } from "./config.js";

/** `declaresBudget`: the file itself has `budget:` (a budget from the config's defaults is not warned about here). */
export function checkProviders(ir: PromptIR, src: YamlSource, config: ResolvedConfig, diagnostics: DiagnosticBag, declaresBudget: boolean): void {
  const chain = ir.model.chain;
  // Past OpenAI's strict-mode limits the API would answer 400: its models get the schema without
  // strict mode, and the build says so where the output is declared.
  const { openaiStrict: strict, output: outputJson } = jsonSchemasOf(ir);
  const openai = chain.filter((c) => ir.model.providers[c.provider]?.type === "openai");
  if (ir.outputFormat === "json" && !strict.strict && strict.limit && openai.length) {
    diagnostics.warning("PC1403", `the output schema is past a limit of OpenAI's strict mode: ${strict.reason}`, spanAt(src, ["output"], "key"),
      `${openai.map((c) => `${c.provider}:${c.model}`).join(", ")} will get it without strict mode: the reply is checked here (and re-asked when invalid) instead of being constrained by the API; shrink the schema to keep strict mode`);
  }
  // Keywords strict mode answers 400 for leave the strict schema; the reply is still checked against them.
  if (ir.outputFormat === "json" && strict.strict && strict.local && openai.length) {
    diagnostics.warning("PC1404", `OpenAI's strict mode does not take ${strict.local.join(", ")}`, spanAt(src, ["output"], "key"),
      `${openai.map((c) => `${c.provider}:${c.model}`).join(", ")} get the schema without ${strict.local.length === 1 ? "it" : "them"}; promptc checks every reply against ${strict.local.length === 1 ? "it" : "them"} and re-asks when one is broken`);
  }
  // Anthropic answers 400 to a tool it does not take, on every call: say so here instead.
  const anthropic = chain.filter((c) => ir.model.providers[c.provider]?.type === "anthropic");
  if (ir.outputFormat === "json" && anthropic.length) {
    const problems = anthropicToolProblems(toolFor(outputName(ir.id), outputJson, travelsWrapped(outputJson)));
    if (problems.length) {
      diagnostics.error("PC1407", `Anthropic would refuse the output as a tool: ${problems.join("; ")}`, spanAt(src, ["output"], "key"),
        `${anthropic.map((c) => `${c.provider}:${c.model}`).join(", ")} cannot take this output; change the schema or move ${anthropic.length === 1 ? "that model" : "those models"} out of the chain`);
    }
  }
  // A budget counts what calls cost; a model without a price costs nothing to it.
  if (declaresBudget) {
    const unpriced = chain.filter((c) => ["openai", "anthropic"].includes(ir.model.providers[c.provider]?.type ?? "") && !priceOf(c.provider, c.model, config.priceTable));
    if (unpriced.length) {
      diagnostics.warning("PC1406", `\`budget:\` cannot limit ${unpriced.map((c) => `${c.provider}:${c.model}`).join(", ")}: promptc has no price for ${unpriced.length === 1 ? "it" : "them"}, so ${unpriced.length === 1 ? "its" : "their"} calls count as free`, spanAt(src, ["budget"], "key"),
        `add ${unpriced.length === 1 ? "it" : "them"} under \`prices:\` in promptc.config.yaml (USD per million tokens, as the provider lists them)`);
    }
  }
}
