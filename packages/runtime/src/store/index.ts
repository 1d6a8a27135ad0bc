// @promptc/runtime/stores: where budgets and caches live, and the semantic cache's embedders.
export { MemoryStore } from "./memory.js";
export { SqliteStore } from "./sqlite.js";
export { RedisStore, type RedisStoreOptions } from "./redis.js";
export { toNanos, fromNanos, type BudgetCharge, type ReserveResult, type Store, type VectorEntry } from "./types.js";
export { LexicalEmbedder, OpenAIEmbedder, SemanticIndex, type Embedder } from "../cache/semantic.js";
