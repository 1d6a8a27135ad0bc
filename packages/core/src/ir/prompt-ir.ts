// PromptIR: the one JSON-serialisable description of a compiled prompt. Emitters, the CLI,
// and (later) evals, diffs and bisect read this, never the YAML.
import type { BudgetPolicy, ModelTarget, PromptMeta, ProviderDeclaration, Role } from "@promptc/runtime";
import type { ConditionNode } from "../review/condition-ast.js";
import type { JsonValue, ObjectNode, SchemaNode } from "../schema/ir.js";
import type { TemplateProgram } from "../template/ast.js";
import type { AssertionIR } from "./assertion-ir.js";

// The types the runtime also reads are the runtime's own (its contract), so generated `meta` and
// the IR cannot disagree; the IR adds only what the runtime never sees.
export type { ModelTarget, ProviderDeclaration, Role };

type Policies = PromptMeta["policies"];
export type RetryIR = Policies["retry"];
export type BudgetIR = BudgetPolicy;
export type CacheIR = NonNullable<Policies["cache"]>;
/** The runtime's, with the fallback value narrowed to JSON (the build checks it against the output schema). */
export type FallbackIR = { readonly kind: "error" } | { readonly kind: "value"; readonly value: JsonValue };

/** The runtime's policies, with the fallback value as JSON. */
export interface PoliciesIR extends Omit<Policies, "fallback"> {
  readonly fallback: FallbackIR;
}

export interface TestCaseIR {
  name: string;
  input: Record<string, JsonValue>;
  /** Shorthand: equal for text outputs, a partial match for objects. */
  expect?: JsonValue;
  assert: AssertionIR[];
  /** `file:line:col` of the case. */
  at: string;
}

export interface PromptIR {
  id: string;
  /** The file's `name:`, when it names the exported function itself; the build's name map has the name every prompt gets. */
  declaredName: string | null;
  /** Source path, relative to the project root, with forward slashes. */
  source: string;
  version: number;
  /** sha256 of the prompt's meaning; see ir/hash.ts for what it covers. */
  hash: string;
  description: string | null;
  model: {
    tier: string;
    fallbacks: string[];
    /** The tier's models, then each fallback's, in order, without repeats. */
    chain: ModelTarget[];
    /** Declarations (from promptc.config.yaml) of the providers the chain uses; never keys. */
    providers: Record<string, ProviderDeclaration>;
    maxTokens: number;
    temperature: number | null;
    topP: number | null;
    stop: string[] | null;
    /** Price overrides from promptc.config.yaml for the chain's models (USD per million tokens); null when none. */
    prices: Record<string, { input: number; output: number; cachedInput?: number; cacheWrite?: number; cacheWrite1h?: number; contextWindow?: number }> | null;
  };
  input: ObjectNode;
  output: SchemaNode;
  outputFormat: "text" | "json";
  messages: { role: Role; template: string }[];
  partials: string[];
  policies: PoliciesIR;
  tests: TestCaseIR[];
  /** `review:`: when a person confirms the output before it is used; the policy itself is in `policies.review`. */
  review: { condition: ConditionNode | "always" } | null;
}

/** A prompt as the build holds it: the IR plus the compiled template of each message. */
export interface CompiledPrompt {
  ir: PromptIR;
  programs: TemplateProgram[];
}
