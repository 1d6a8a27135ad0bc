// What one runtime's call engine holds for every call: its settings and the concerns' state.
import type { CallSink } from "../contract/records.js";
import type { RuntimeSettings } from "../contract/runtime.js";
import type { Store } from "../contract/store.js";
import type { ResponseCache } from "../cache/response-cache.js";
import type { ProviderResolver } from "../providers/resolve.js";
import type { ModelBreakers } from "../resilience/breakers.js";
import type { Plans } from "./plan.js";

export interface EngineContext {
  readonly options: RuntimeSettings;
  readonly breakers: ModelBreakers;
  readonly sinks: readonly CallSink[];
  readonly store: Store;
  readonly cache: ResponseCache;
  readonly providers: ProviderResolver;
  readonly plans: Plans;
}
