// `promptc.config.yaml`: where prompts live, where code goes, tiers, providers and policy defaults.
import { z } from "zod";
import { PolicyFields } from "./policies.js";

const ProviderConfig = z.strictObject({
  type: z.enum(["openai", "anthropic", "openai-compatible"]),
  base_url: z.url().optional(),
  api_key_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional().describe("Name of the environment variable holding the key"),
});

export const ConfigFile = z.strictObject({
  $schema: z.string().optional(),
  prompts: z.string().min(1).default("prompts").describe("Folder of *.prompt.yaml files"),
  out: z.string().min(1).default("src/generated").describe("Folder the generated TypeScript goes to"),
  partials: z.string().min(1).optional().describe("Folder of *.hbs partials; default <prompts>/partials"),
  lockfile: z.string().min(1).default("promptc.lock.json"),
  runtime_import: z.string().min(1).default("@promptc/runtime").describe("Module the generated code imports"),
  out_extension: z.enum([".ts", ".mts"]).default(".ts").describe("Extension of generated files: .mts keeps them ES modules in a CommonJS package (import ./generated/index.mjs)"),
  providers: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), ProviderConfig).default({}),
  tiers: z.record(z.string().regex(/^[A-Za-z][\w-]*$/), z.array(z.string().regex(/^[a-z][a-z0-9-]*:.+$/, { error: "expected provider:model" })).min(1)).default({}),
  schemas: z.record(z.string().regex(/^[A-Z][A-Za-z0-9_]*$/, { error: "named schemas start with a capital letter" }), z.unknown()).default({}),
  defaults: z.strictObject({ ...PolicyFields }).default({}),
  prices: z.record(z.string().regex(/^[a-z][a-z0-9-]*:.+$/, { error: "expected provider:model" }), z.strictObject({
    input: z.number().describe("USD per million input tokens"),
    output: z.number().describe("USD per million output tokens"),
    cached_input: z.number().optional().describe("USD per million cached input tokens"),
    cache_write: z.number().optional().describe("USD per million input tokens written to the prompt cache (Anthropic: 5-minute writes)"),
    cache_write_1h: z.number().optional().describe("USD per million input tokens written to Anthropic's 1-hour cache"),
    context_window: z.int().optional().describe("Context window in tokens"),
  })).default({}).describe("Model prices over the bundled table (USD per million tokens)"),
}).describe("promptc project configuration");

export type ConfigFile = z.output<typeof ConfigFile>;
