// The response cache around a call: look up (exact first, then semantic when the prompt opts in)
// and remember a valid output. A store that fails is a miss, and remembering never delays or
// fails the call.
import type { PromptMeta } from "../contract/prompt.js";
import type { Embedder } from "../contract/runtime.js";
import type { Store } from "../contract/store.js";
import { cacheScope, exactKey, scopeKey } from "./key.js";
import { inputText, SemanticIndex } from "./semantic.js";

/** A prompt's cache scope: everything in its key but the input. */
export interface CacheScope {
  scope: string;
  semanticKey: string;
}

/** One call's cache entry: where it is kept, for how long, and whether near inputs may answer. */
export interface CacheEntry {
  key: string;
  scope: CacheScope;
  ttlMs: number;
  semantic: { threshold: number } | null;
  input: unknown;
  /** The input's embedding, once computed by a semantic lookup. */
  vector?: Float32Array;
}

/** A prompt's scope; the local server's stand-in replies are cached apart, so a real call never reads them. */
export function scopeOf(meta: PromptMeta, local: boolean): CacheScope {
  const text = local ? `${cacheScope(meta)}\nlocal-server` : cacheScope(meta);
  return { scope: text, semanticKey: scopeKey(text) };
}

/** The entry for this call's validated input, when the prompt declares a cache. */
export function cacheEntry(meta: PromptMeta, scope: CacheScope, input: unknown): CacheEntry | null {
  const policy = meta.policies.cache;
  return policy ? { key: exactKey(scope.scope, input), scope, ttlMs: policy.ttlMs, semantic: policy.semantic, input } : null;
}

export class ResponseCache {
  private readonly semantic: SemanticIndex;

  constructor(private readonly store: Store, embedder: Embedder) {
    this.semantic = new SemanticIndex(store, embedder);
  }

  /**
   * A cached answer, checked again by `valid` (an entry may come from another process sharing
   * the store): exact first, then semantic. A store that fails reads as a miss.
   */
  async lookup<O>(c: CacheEntry, valid: (json: string) => O | undefined): Promise<{ output: O; kind: "exact" | "semantic" } | undefined> {
    try {
      const hit = await this.store.cacheGet(c.key);
      const exact = hit === undefined ? undefined : valid(hit);
      if (exact !== undefined) return { output: exact, kind: "exact" };
      if (c.semantic) {
        c.vector = await this.semantic.embedder.embed(inputText(c.input));
        const near = await this.semantic.lookup(c.scope.semanticKey, c.vector, c.semantic.threshold);
        const output = near === undefined ? undefined : valid(near);
        if (output !== undefined) return { output, kind: "semantic" };
      }
    } catch {
      /* a miss */
    }
    return undefined;
  }

  /** Stores a valid output for later calls; never delays or fails this one. */
  remember(c: CacheEntry, output: unknown): void {
    const value = JSON.stringify(output);
    this.store.cacheSet(c.key, value, c.ttlMs).catch(() => {});
    if (c.semantic) {
      const semantic = this.semantic;
      (async () => semantic.add(c.scope.semanticKey, c.vector ?? (await semantic.embedder.embed(inputText(c.input))), value, c.ttlMs))().catch(() => {});
    }
  }
}
