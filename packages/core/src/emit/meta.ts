// The `meta` object of a generated module: identity, model settings and policies the runtime enforces.
import type { PromptIR } from "../ir/prompt-ir.js";

/** The meta object literal (a line per field, so diffs read well) and the output JSON Schema constant it refers to. */
export function emitMeta(ir: PromptIR): { schemaConst: string | null; literal: string } {
  const json = ir.outputFormat === "json";
  const strict = json && ir.jsonSchema.openaiStrict.strict;
  const wrapped = ir.jsonSchema.openaiStrict.strict && strict ? ir.jsonSchema.openaiStrict.wrapped : false;
  const { tier, chain, providers, maxTokens, temperature, topP, stop, prices } = ir.model;
  const fields: [string, string][] = [
    ["id", JSON.stringify(ir.id)],
    ["version", String(ir.version)],
    ["hash", JSON.stringify(ir.hash)],
    ["source", JSON.stringify(ir.source)],
    ["description", JSON.stringify(ir.description)],
    ["model", JSON.stringify({ tier, chain: chain.map((m) => `${m.provider}:${m.model}`), providers, maxTokens, temperature, topP, stop, ...(prices ? { prices } : {}) })],
    // The strict variant is derived from the schema by the runtime (toStrictJsonSchema), once per prompt.
    ["output", `{ format: "${ir.outputFormat}", schema: ${json ? "outputJsonSchema" : "null"}, strict: ${strict}, wrapped: ${wrapped} }`],
    ["policies", JSON.stringify(ir.policies)],
  ];
  return {
    schemaConst: json ? JSON.stringify(ir.jsonSchema.output) : null,
    literal: `{\n${fields.map(([k, v]) => `  ${k}: ${v},`).join("\n")}\n}`,
  };
}
