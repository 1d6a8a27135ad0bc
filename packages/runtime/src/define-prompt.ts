// definePrompt: turns what a generated module declares into the typed function callers use.
import type { z } from "zod";
import { InputValidationError, ProviderNotConfiguredError } from "./errors.js";
import { toStrictJsonSchema } from "./openai-strict.js";
import type { CallOptions, Message, PromptFunction, PromptMeta, RenderedRequest } from "./types.js";

export function definePrompt<I, O>(
  meta: PromptMeta,
  input: z.ZodType<I>,
  _output: z.ZodType<O>,
  template: (input: I) => Message[],
): PromptFunction<I, O> {
  // Everything but the messages is the same on every call: build it once.
  const fixed = {
    prompt: { id: meta.id, version: meta.version, hash: meta.hash },
    // Split at the first colon: provider names have none, model names may (`llama3.1:8b`).
    models: meta.model.chain.map((ref) => ({ provider: ref.slice(0, ref.indexOf(":")), model: ref.slice(ref.indexOf(":") + 1) })),
    maxTokens: meta.model.maxTokens,
    temperature: meta.model.temperature,
    topP: meta.model.topP,
    stop: meta.model.stop,
    output: {
      format: meta.output.format,
      schema: meta.output.schema,
      strictSchema: meta.output.schema && meta.output.strict ? toStrictJsonSchema(meta.output.schema, meta.output.wrapped) : null,
      wrapped: meta.output.wrapped,
    },
  };

  function render(value: I): RenderedRequest {
    const parsed = input.safeParse(value);
    if (!parsed.success) throw new InputValidationError(meta, parsed.error);
    return { prompt: fixed.prompt, messages: template(parsed.data), models: fixed.models, maxTokens: fixed.maxTokens,
      temperature: fixed.temperature, topP: fixed.topP, stop: fixed.stop, output: fixed.output };
  }

  const fn = async (value: I, _options?: CallOptions): Promise<O> => {
    render(value);
    throw new ProviderNotConfiguredError(meta);
  };
  return Object.assign(fn, { render, meta });
}
