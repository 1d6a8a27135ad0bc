// Types shared by generated code and the runtime: what a prompt is, what a call is given and
// what it yields. Types only; the layers above import them, and they import nothing above.
import type { PriceInput } from "./price.js";
import type { CallRecord } from "./records.js";

export type Role = "system" | "user" | "assistant";

export interface Message {
  role: Role;
  content: string;
}

export interface ModelTarget {
  readonly provider: string;
  readonly model: string;
}

export type JsonSchema = { readonly [key: string]: unknown };

export interface ProviderDeclaration {
  readonly type: "openai" | "anthropic" | "openai-compatible";
  readonly base_url?: string;
  /** Name of the environment variable holding the key. */
  readonly api_key_env?: string;
}

/** Spend ceilings in USD, as the prompt file (and the config's defaults) declare them. */
export interface BudgetPolicy {
  readonly perCallUsd: number | null;
  readonly perUserPerDayUsd: number | null;
  readonly perFeaturePerMonthUsd: number | null;
  readonly perPromptPerDayUsd: number | null;
  readonly perPromptPerMonthUsd: number | null;
  /** Feature charged when the call does not name one. */
  readonly feature: string | null;
  /** Fraction of a budget at which the alert callback fires (once per window). */
  readonly alertAt: number;
  readonly onExceeded: "error" | "fallback";
}

/** What generated code stamps into every module: identity, model settings and policies. */
export interface PromptMeta {
  readonly id: string;
  readonly version: number;
  readonly hash: string;
  readonly source: string;
  readonly description: string | null;
  readonly model: {
    readonly tier: string;
    /** Models to try, in order, as `provider:model`. */
    readonly chain: readonly string[];
    /** How to reach each provider the chain uses (keys come from the environment). */
    readonly providers: { readonly [name: string]: ProviderDeclaration };
    readonly maxTokens: number;
    readonly temperature: number | null;
    readonly topP: number | null;
    readonly stop: readonly string[] | null;
    /** Prices from promptc.config.yaml (`prices:`) for the chain's models, over the bundled table. */
    readonly prices?: { readonly [model: string]: PriceInput };
  };
  readonly output: {
    readonly format: "text" | "json";
    /** JSON Schema (draft 2020-12) of the output; null for text. */
    readonly schema: JsonSchema | null;
    /** Whether the schema can be sent in OpenAI's strict mode. */
    readonly strict: boolean;
    /** True when the strict variant wraps a non-object output as `{ value }`. */
    readonly wrapped: boolean;
  };
  readonly policies: {
    readonly retry: {
      readonly attempts: number;
      readonly timeoutMs: number;
      readonly deadlineMs: number | null;
      readonly backoff: { readonly initialMs: number; readonly maxMs: number; readonly multiplier: number };
    };
    readonly reask: number;
    readonly fallback: { readonly kind: "error" } | { readonly kind: "value"; readonly value: unknown };
    readonly budget: BudgetPolicy | null;
    readonly cache: { readonly ttlMs: number; readonly semantic: { readonly threshold: number } | null } | null;
    /** How the prompt's jobs wait out an outage; absent when the file has no `job:` (the defaults then: 24h, wait). */
    readonly job?: { readonly maxAgeMs: number; readonly onOutage: "wait" | "fallback" };
    /** Human review (`review:`); absent when the file has none. `when` is the condition's text, shown to reviewers; generated code runs it compiled. */
    readonly review?: { readonly when: string; readonly timeoutMs: number; readonly onTimeout: "reject" | "fallback" };
  };
}

/** Exactly what a model would receive for one call. */
export interface RenderedRequest {
  readonly prompt: { readonly id: string; readonly version: number; readonly hash: string };
  readonly messages: Message[];
  /** Models to try, in order. */
  readonly models: readonly ModelTarget[];
  readonly maxTokens: number;
  readonly temperature: number | null;
  readonly topP: number | null;
  readonly stop: readonly string[] | null;
  readonly output: {
    readonly format: "text" | "json";
    /** JSON Schema (draft 2020-12) of the output; null for text. */
    readonly schema: JsonSchema | null;
    /** The OpenAI strict-mode variant, or null when the schema cannot be strict. */
    readonly strictSchema: JsonSchema | null;
    /** True when strictSchema wraps a non-object output as `{ value }`. */
    readonly wrapped: boolean;
  };
}

/** What a call may say for itself; CallOptions (runtime.ts) adds which runtime runs it. */
export interface CallSettings {
  /** Aborts the call: the connection closes and the call rejects with E_ABORTED. */
  signal?: AbortSignal;
  /** Overall deadline in milliseconds, instead of the prompt's `retry.deadline`. */
  deadlineMs?: number;
  /** Who the call is for: charged to their daily budget (`budget.per_user_per_day_usd`). */
  user?: string;
  /** What the call is for: charged to its monthly budget; default the prompt's `budget.feature`. */
  feature?: string;
  /** The response cache: "default" reads and writes; "bypass" neither; "refresh" writes a fresh answer. */
  cache?: "default" | "bypass" | "refresh";
  /**
   * The job this call runs (set by the jobs worker). Its budget reservations are held under the
   * job's id, so a job run again after its worker died releases that attempt's reservation and is
   * charged once.
   */
  jobId?: string;
}

export type DeepPartial<T> = T extends readonly (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** What a stream yields: text as it arrives (text outputs), or the output so far (JSON outputs). */
export type StreamEvent<O> = { type: "text"; delta: string; text: string } | { type: "partial"; value: DeepPartial<O> };

/** What a stream may say for itself; StreamOptions (runtime.ts) adds which runtime runs it. */
export interface StreamSettings extends CallSettings {
  /** Time allowed for the first content chunk (default: the prompt's retry.timeout). */
  firstChunkTimeoutMs?: number;
  /** Time allowed between chunks (default: the prompt's retry.timeout). */
  chunkTimeoutMs?: number;
}

export interface PromptStream<O> extends AsyncIterable<StreamEvent<O>> {
  /** The validated final output; rejects with a PromptError. */
  readonly result: Promise<O>;
  /** The call's record, once it ends (also when it fails). */
  readonly record: Promise<CallRecord>;
}
