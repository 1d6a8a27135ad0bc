// What definePrompt hands the runtime, and the first step of every call: sanitise, validate
// and render the input.
import { isMissingPackage, MissingPackageError } from "../pure/optional-package.js";
import { InputValidationError } from "../errors/prompt-errors.js";
import { toStrictJsonSchema } from "../pure/openai-strict.js";
import type { JsonSchema, Message } from "../contract/prompt.js";
import type { PreparedPrompt, PromptSchemas } from "../contract/prepared.js";
import { emptyRequiredString, sanitize } from "../pure/sanitize.js";
import { loadZod } from "../pure/zod.js";

/** The prompt's validators, loading them (and zod) on first use. */
export function schemasOf<I, O>(prompt: PreparedPrompt<I, O>): PromptSchemas<I, O> | Promise<PromptSchemas<I, O>> {
  if (prompt.schemas && prompt.loading) return prompt.schemas;
  return (prompt.loading ??= Promise.all([prompt.load(), loadZod()]).then(
    ([schemas]) => (prompt.schemas = schemas),
    (e: unknown) => {
      prompt.loading = null; // a later call may try again
      if (isMissingPackage(e, "zod")) throw new MissingPackageError("zod", `prompt \`${prompt.meta.id}\` (its generated validators)`);
      throw new Error(`promptc: could not load the validators of ${prompt.meta.id} (${prompt.meta.source}): ${e instanceof Error ? e.message : String(e)}. Is zod installed?`, { cause: e });
    },
  ));
}

/** A call's input once sanitised and validated, and the messages it renders to. */
export interface PreparedInput<I> {
  messages: Message[];
  input: I;
}

/** Sanitises, validates and renders the input. Throws InputValidationError; sends nothing. */
export function prepareInput<I, O>(prompt: PreparedPrompt<I, O>, schemas: PromptSchemas<I, O>, input: I): PreparedInput<I> {
  const clean = sanitize(input);
  const parsed = schemas.InputSchema.safeParse(clean);
  if (!parsed.success) throw new InputValidationError(prompt.meta, parsed.error.issues);
  const empty = emptyRequiredString(schemas.InputSchema, parsed.data);
  if (empty) throw new InputValidationError(prompt.meta, [{ path: empty, message: "required text is empty (after removing invisible characters)" }]);
  return { messages: prompt.render(parsed.data), input: parsed.data };
}

/** The OpenAI strict-mode variant of the output schema, or null when it cannot be strict. */
export function strictSchemaOf<I, O>(prompt: PreparedPrompt<I, O>): JsonSchema | null {
  const { meta } = prompt;
  if (prompt.strictSchema === undefined) prompt.strictSchema = meta.output.schema && meta.output.strict ? toStrictJsonSchema(meta.output.schema, meta.output.wrapped) : null;
  return prompt.strictSchema;
}
