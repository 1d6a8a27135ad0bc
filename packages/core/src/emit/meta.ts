// The `meta` object of a generated module: identity, model settings and policies the runtime enforces.
import type { PromptIR } from "../ir/prompt-ir.js";

/** The meta object literal. When the strict variant equals the plain schema, both name one constant. */
export function emitMeta(ir: PromptIR): { schemaConst: string | null; literal: string } {
  const strict = ir.jsonSchema.openaiStrict;
  const json = ir.outputFormat === "json";
  const meta = {
    id: ir.id,
    version: ir.version,
    hash: ir.hash,
    source: ir.source,
    description: ir.description,
    model: {
      tier: ir.model.tier,
      chain: ir.model.chain,
      maxTokens: ir.model.maxTokens,
      temperature: ir.model.temperature,
      topP: ir.model.topP,
      stop: ir.model.stop,
    },
    output: null as unknown,
    policies: ir.policies,
  };
  const schemaText = JSON.stringify(ir.jsonSchema.output);
  const strictText = json && strict.strict ? JSON.stringify(strict.schema) : "null";
  const shared = json && strictText === schemaText;
  meta.output = RAW(`{ format: "${ir.outputFormat}", schema: ${json ? "outputJsonSchema" : "null"}, strict: ${shared ? "outputJsonSchema" : strictText}, wrapped: ${json && strict.strict ? strict.wrapped : false} }`);
  return { schemaConst: json ? schemaText : null, literal: compactJson(meta) };
}

const RAW_TAG = Symbol("raw");
function RAW(code: string): unknown {
  return { [RAW_TAG]: code };
}

/** JSON with a line per top-level key: short, and diffs read well. */
function compactJson(value: Record<string, unknown>): string {
  const lines = Object.entries(value).map(([k, v]) => `  ${k}: ${v && typeof v === "object" && RAW_TAG in v ? (v as Record<symbol, string>)[RAW_TAG] : JSON.stringify(v)},`);
  return `{\n${lines.join("\n")}\n}`;
}
