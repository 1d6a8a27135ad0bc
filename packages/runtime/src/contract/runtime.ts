// What a Runtime is given and what a call gives back: the settings the call engine reads, the
// call's result, and the interfaces a user plugs in (an embedder, a budget alert handler).
import type { PriceInput } from "./price.js";
import type { ProviderAdapter, ProviderSettings } from "./provider.js";
import type { CallRecord, CallSink } from "./records.js";
import type { Store } from "./store.js";

export interface BudgetAlert {
  /** The budget's key: scope and window, e.g. `budget:user:ana:day:2026-11-22`. */
  key: string;
  promptId: string;
  limitUsd: number;
  /** The fraction of the budget that fired the alert. */
  alertAt: number;
}

export interface Embedder {
  /** Names the embedding space: entries from another embedder are never compared. */
  readonly id: string;
  embed(text: string): Promise<Float32Array>;
}

export interface ProviderOverride {
  type?: ProviderSettings["type"];
  apiKey?: string;
  baseURL?: string;
  /** Use this adapter instead of building one (tests, custom providers). */
  adapter?: ProviderAdapter;
}

/** A runtime's settings: RuntimeOptions (runtime.ts) without `breakers`, which names a class of resilience/. */
export interface RuntimeSettings {
  /** Per provider name: settings that win over the config and the environment, or an adapter. */
  providers?: Record<string, ProviderOverride>;
  /** Where keys and base URLs are read from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Where call records go, besides the in-memory sink. */
  sinks?: CallSink[];
  /** Context windows, in tokens, by "provider:model" or model: for models the built-in table does not know. */
  contextWindows?: Record<string, number>;
  /** Where budgets and caches live (default: this process's memory). See @promptc/runtime/stores. */
  store?: Store;
  /** Prices by `provider:model`, over the bundled table (USD per million tokens). Validated here. */
  prices?: Record<string, PriceInput>;
  /** Called once per budget window when a budget's alert fraction (default 0.8) is crossed. */
  onBudgetAlert?: (alert: BudgetAlert) => void;
  /** Embeds inputs for the semantic cache (default: LexicalEmbedder, no network). */
  embedder?: Embedder;
  /**
   * Send every call to promptc's local server at this URL (`promptc serve`), whatever the
   * providers: no key needed, replies cost 0 and records say `local: true`. Default: the
   * PROMPTC_LOCAL_URL environment variable.
   */
  localServer?: string;
  /** For tests: jitter source and how to wait. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallResult<O> {
  output: O;
  record: CallRecord;
}
