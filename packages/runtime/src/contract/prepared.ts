// A prompt as definePrompt hands it to the runtime: its meta, validators and template.
import type { z } from "zod";
import type { JsonSchema, Message, ModelTarget, PromptMeta } from "./prompt.js";

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
