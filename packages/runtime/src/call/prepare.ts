// What definePrompt hands the runtime, and the first step of every call: sanitise, validate
// and render the input.
import { isMissingPackage, MissingPackageError } from "../optional-package.js";
import type { z } from "zod";
import { InputValidationError } from "../errors.js";
import { toStrictJsonSchema } from "../openai-strict.js";
import type { JsonSchema, Message, ModelTarget, PromptMeta } from "../types.js";
import { emptyRequiredString, sanitize } from "./sanitize.js";
import { loadZod } from "./zod.js";

/** A prompt's zod validators: what a generated `*.schemas.ts` module exports. */
export interface PromptSchemas<I, O> {
  readonly InputSchema: z.ZodType<I>;
  readonly OutputSchema: z.ZodType<O>;
}

/** A generated module's parts, prepared once. */
export interface PreparedPrompt<I, O> {
  meta: PromptMeta;
  /** The validators once loaded; null before the first call. */
  schemas: PromptSchemas<I, O> | null;
  load(): Promise<PromptSchemas<I, O>>;
  loading: Promise<PromptSchemas<I, O>> | null;
  render(input: I): Message[];
  targets: readonly ModelTarget[];
  /** The OpenAI strict variant of the output schema; undefined until first worked out. */
  strictSchema: JsonSchema | null | undefined;
}

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

/** Sanitises, validates and renders the input. Throws InputValidationError; sends nothing. */
export function prepareInput<I, O>(prompt: PreparedPrompt<I, O>, schemas: PromptSchemas<I, O>, input: I): { messages: Message[]; input: I } {
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
