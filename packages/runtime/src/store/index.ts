// @promptc/runtime/stores: where budgets and caches live, and the semantic cache's embedders.
export { MemoryStore } from "./memory.js";
export { SqliteStore } from "./sqlite.js";
export { RedisStore, type RedisStoreOptions } from "./redis.js";
export { toNanos, fromNanos } from "../pure/money.js";
export type { BudgetCharge, Hold, ReserveResult, Store, VectorEntry } from "../contract/store.js";
export { LexicalEmbedder, OpenAIEmbedder, SemanticIndex, type Embedder } from "../cache/semantic.js";
