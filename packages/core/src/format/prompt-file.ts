// The `.prompt.yaml` format. This zod schema is the single source: the validator,
// the TypeScript type, and the shipped JSON Schema for editors all come from it.
import { z } from "zod";
import { Duration } from "./duration.js";
import { PolicyFields } from "./policies.js";

const ModelRef = z.string().min(1).describe("A tier from promptc.config.yaml, or provider:model");

const ModelSection = z.strictObject({
  tier: ModelRef.describe("Tier (an ordered model list in promptc.config.yaml) or provider:model"),
  max_tokens: z.int().positive().describe("Upper bound on output tokens; always sent"),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  stop: z.array(z.string()).max(4).optional(),
  fallbacks: z.array(ModelRef).optional().describe("Tiers or provider:model, tried in order after the tier's own models"),
});

const MessageEntry = z.union([
  z.strictObject({ system: z.string() }),
  z.strictObject({ user: z.string() }),
  z.strictObject({ assistant: z.string() }),
]).describe("One message: a role and its Handlebars template");

export const Assertion = z.record(z.string(), z.unknown())
  .describe("One assertion: equals, matches, contains, regex, range, schema-valid, js, similar, judge, max-cost or max-latency (each also as not-…), with path, flags, threshold or criteria where they apply");

export const TestCase = z.strictObject({
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  expect: z.unknown().optional().describe("Expected output: equal for text, a partial match for objects"),
  assert: z.array(Assertion).optional().describe("Assertions on the output, all of which must pass"),
});

export const PromptFile = z.strictObject({
  $schema: z.string().optional(),
  version: z.int().positive().describe("Bump whenever the prompt's meaning changes"),
  name: z.string().regex(/^[A-Za-z_$][\w$]*$/).optional().describe("Function name; derived from the id when omitted"),
  description: z.string().optional(),
  model: ModelSection,
  input: z.unknown().optional().describe("Picoschema or JSON Schema for the input object"),
  output: z.unknown().optional().describe("Picoschema or JSON Schema for the output; omitted means text"),
  messages: z.array(MessageEntry).min(1),
  ...PolicyFields,
  review: z.strictObject({
    when: z.string().min(1).describe('When a person confirms the output before it is used: a condition over input and output (`output.confidence < 0.8 or output.queue == "abuse"`), or `always`'),
    timeout: Duration.optional().describe("How long an item waits for a decision (default 24h)"),
    on_timeout: z.enum(["reject", "fallback"]).optional().describe("reject (default): the item is rejected; fallback: the prompt's fallback value stands in"),
  }).optional().describe("Human review of the output before it is used"),
  tests: z.array(TestCase).optional(),
}).describe("A promptc prompt file");

export type PromptFile = z.infer<typeof PromptFile>;
