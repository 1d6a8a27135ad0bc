// The `meta` object of a generated module: identity, model settings and policies the runtime enforces.
// promptMetaOf builds it as a value (evals and bisect call prompts built in memory); emitMeta
// prints that same value as source, so the two cannot drift apart.
import { travelsWrapped, type PromptMeta } from "@promptc/runtime";
import type { PromptIR } from "../ir/prompt-ir.js";
import { jsonSchemasOf } from "./schema/prompt-schemas.js";
import { jsonLiteral } from "./ts-syntax.js";

export function promptMetaOf(ir: PromptIR): PromptMeta {
  const json = ir.outputFormat === "json";
  const schemas = jsonSchemasOf(ir);
  const strict = json && schemas.openaiStrict.strict;
  // The one wire rule (runtime wire.ts), for every provider and mode.
  const wrapped = json && travelsWrapped(schemas.output);
  const { tier, chain, providers, maxTokens, temperature, topP, stop, prices } = ir.model;
  return {
    id: ir.id,
    version: ir.version,
    hash: ir.hash,
    source: ir.source,
    description: ir.description,
    model: { tier, chain: chain.map((m) => `${m.provider}:${m.model}`), providers, maxTokens, temperature, topP, stop, ...(prices ? { prices } : {}) },
    // The strict variant is derived from the schema by the runtime (toStrictJsonSchema), once per prompt.
    output: { format: ir.outputFormat, schema: json ? schemas.output : null, strict, wrapped },
    policies: ir.policies,
  };
}

/** The meta object literal (a line per field, so diffs read well) and the output JSON Schema constant it refers to. */
export function emitMeta(ir: PromptIR): { schemaConst: string | null; literal: string } {
  const meta = promptMetaOf(ir);
  const { output } = meta;
  const fields: [string, string][] = [
    ["id", JSON.stringify(meta.id)],
    ["version", String(meta.version)],
    ["hash", JSON.stringify(meta.hash)],
    ["source", JSON.stringify(meta.source)],
    ["description", JSON.stringify(meta.description)],
    ["model", jsonLiteral(meta.model)],
    ["output", `{ format: "${output.format}", schema: ${output.schema ? "outputJsonSchema" : "null"}, strict: ${output.strict}, wrapped: ${output.wrapped} }`],
    ["policies", jsonLiteral(meta.policies)],
  ];
  return {
    schemaConst: output.schema ? jsonLiteral(output.schema) : null,
    literal: `{\n${fields.map(([k, v]) => `  ${k}: ${v},`).join("\n")}\n}`,
  };
}
