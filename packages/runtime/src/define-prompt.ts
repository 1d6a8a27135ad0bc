// definePrompt: turns what a generated module declares into the typed function callers use.
import type { z } from "zod";
import { readOutput } from "./call/output.js";
import { OutputParseError } from "./errors.js";
import { toStrictJsonSchema } from "./openai-strict.js";
import { getRuntime, prepareInput, Runtime, type PreparedPrompt } from "./runtime.js";
import type { CallOptions, Message, PromptFunction, PromptMeta, RenderedRequest, StreamOptions } from "./types.js";

export function definePrompt<I, O>(meta: PromptMeta, input: z.ZodType<I>, output: z.ZodType<O>, template: (input: I) => Message[]): PromptFunction<I, O> {
  const strictSchema = meta.output.schema && meta.output.strict ? toStrictJsonSchema(meta.output.schema, meta.output.wrapped) : null;
  const prepared: PreparedPrompt<I, O> = {
    meta,
    input,
    output,
    render: template,
    // Split at the first colon: provider names have none, model names may (`llama3.1:8b`).
    targets: meta.model.chain.map((ref) => ({ provider: ref.slice(0, ref.indexOf(":")), model: ref.slice(ref.indexOf(":") + 1) })),
    strictSchema,
  };
  // Everything but the messages is the same on every render: build it once.
  const fixed = {
    prompt: { id: meta.id, version: meta.version, hash: meta.hash },
    models: prepared.targets,
    maxTokens: meta.model.maxTokens,
    temperature: meta.model.temperature,
    topP: meta.model.topP,
    stop: meta.model.stop,
    output: { format: meta.output.format, schema: meta.output.schema, strictSchema, wrapped: meta.output.wrapped },
  };
  const runtimeOf = (options?: CallOptions): Runtime => options?.runtime ?? getRuntime();

  function render(value: I): RenderedRequest {
    const { messages } = prepareInput(prepared, value);
    return { prompt: fixed.prompt, messages, models: fixed.models, maxTokens: fixed.maxTokens, temperature: fixed.temperature, topP: fixed.topP, stop: fixed.stop, output: fixed.output };
  }
  const withRecord = (value: I, options?: CallOptions) => runtimeOf(options).call(prepared, value, options);
  const fn = async (value: I, options?: CallOptions): Promise<O> => (await withRecord(value, options)).output;
  const stream = (value: I, options?: StreamOptions) => runtimeOf(options).stream(prepared, value, options);
  // Parses a reply you already have (from logs, another client) the way a call would.
  const parse = (text: string): O => {
    const result = readOutput({ text, model: "", finishReason: "stop", usage: { inputTokens: 0, outputTokens: 0 } }, meta, output, false);
    if (!result.ok) throw new OutputParseError(meta, result.problem);
    return result.value;
  };
  return Object.assign(fn, { render, withRecord, stream, parse, meta });
}
