// A compiled prompt as a callable function, without generating or compiling TypeScript: the
// same meta the emitted module carries (promptMetaOf), validators built from the schema IR,
// and the template interpreted. Evals of the working tree and of old versions (bisect) use it.
import { promptMetaOf, renderMessages, toZod, type CompiledPrompt } from "@promptc/core";
import { definePrompt, type Message, type PromptFunction, type PromptSchemas } from "@promptc/runtime";

export function inMemoryPrompt(prompt: CompiledPrompt): PromptFunction<unknown, unknown> {
  const { ir } = prompt;
  const schemas = { InputSchema: toZod(ir.input), OutputSchema: toZod(ir.output) } as PromptSchemas<unknown, unknown>;
  const render = (input: unknown): Message[] => renderMessages(prompt, input);
  return definePrompt(promptMetaOf(ir), schemas, render);
}
