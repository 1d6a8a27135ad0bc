// A prompt's JSON Schemas: its input's, its output's, and the output's OpenAI strict variant.
// Derived from the IR (which holds none of an emitter's output) once per IR object: the build's
// checks, the emitters, diff and inspect all read them from here.
import type { PromptIR } from "../../ir/prompt-ir.js";
import { toJsonSchema, type JsonSchema } from "./json-schema.js";
import { toOpenAIStrict, type StrictResult } from "./openai-strict.js";

export interface PromptJsonSchemas {
  input: JsonSchema;
  output: JsonSchema;
  openaiStrict: StrictResult;
}

const derived = new WeakMap<PromptIR, PromptJsonSchemas>();

export function jsonSchemasOf(ir: PromptIR): PromptJsonSchemas {
  let schemas = derived.get(ir);
  if (!schemas) {
    const output = toJsonSchema(ir.output);
    derived.set(ir, (schemas = { input: toJsonSchema(ir.input), output, openaiStrict: toOpenAIStrict(ir.output, output) }));
  }
  return schemas;
}
