// The semantic cache (opt-in per prompt): the input's values are embedded, and an earlier call
// of the same prompt, version, model chain and parameters (the scope) whose input embeds within
// the prompt's cosine threshold (default 0.95) answers instead of a model.
//
// Search is exact over the candidates a locality-sensitive hash (random hyperplanes, 8 tables of
// 8 bits) proposes: a pair at cosine 0.95 shares a bucket in at least one table with probability
// 0.99 (higher above 0.95), and a lookup scores a few hundred vectors instead of every entry.
import type { Store, VectorEntry } from "../store/types.js";

export interface Embedder {
  /** Names the embedding space: entries from another embedder are never compared. */
  readonly id: string;
  embed(text: string): Promise<Float32Array>;
}

/**
 * The default: no network, no model. Character trigrams and words hashed into 256 dimensions.
 * It is lexical, not semantic: it matches the same words in another order, case, spacing or with
 * a typo, not a paraphrase. Use an embeddings model (OpenAIEmbedder) for meaning.
 */
export class LexicalEmbedder implements Embedder {
  readonly id = "lexical-256";
  async embed(text: string): Promise<Float32Array> {
    return lexicalVector(text);
  }
}

export function lexicalVector(text: string, dims = 256): Float32Array {
  const v = new Float32Array(dims);
  const t = ` ${text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()} `;
  const add = (gram: string, weight: number) => {
    let h = 2166136261; // FNV-1a
    for (let i = 0; i < gram.length; i++) h = Math.imul(h ^ gram.charCodeAt(i), 16777619);
    v[(h >>> 0) % dims]! += (h & 0x80000000 ? -1 : 1) * weight;
  };
  for (let i = 0; i + 3 <= t.length; i++) add(t.slice(i, i + 3), 1);
  for (const w of t.split(/[^\p{L}\p{N}]+/u)) if (w) add(`w:${w}`, 2);
  return normalise(v);
}

/** Any OpenAI-compatible embeddings endpoint, through the official SDK. */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private client: Promise<{ embeddings: { create(body: { model: string; input: string }): Promise<{ data: { embedding: number[] }[] }> } }> | undefined;
  constructor(private readonly options: { model?: string; apiKey?: string; baseURL?: string } = {}) {
    this.id = `openai:${options.model ?? "text-embedding-3-small"}`;
  }
  async embed(text: string): Promise<Float32Array> {
    this.client ??= import("openai").then(({ default: OpenAI }) => new OpenAI({ apiKey: this.options.apiKey ?? process.env["OPENAI_API_KEY"], baseURL: this.options.baseURL, maxRetries: 0 }));
    const r = await (await this.client).embeddings.create({ model: this.options.model ?? "text-embedding-3-small", input: text });
    return normalise(Float32Array.from(r.data[0]!.embedding));
  }
}

/** The text of an input's values, not its keys: what a semantic key embeds. */
export function inputText(input: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === "object") for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
    else parts.push(String(v));
  };
  walk(input);
  return parts.join("\n");
}

function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

const TABLES = 8;
const BITS = 8;

/** One scope's entries and their hash buckets, kept in step with the store. */
class ScopeIndex {
  entries: VectorEntry[] = [];
  cursor = 0;
  buckets: Map<number, number[]>[] = Array.from({ length: TABLES }, () => new Map());
  planes: Float32Array[] | undefined;
  syncing: Promise<void> | undefined;

  add(entry: VectorEntry): void {
    const i = this.entries.push(entry) - 1;
    const planes = (this.planes ??= hyperplanes(entry.vector.length));
    for (let t = 0; t < TABLES; t++) {
      const h = hash(entry.vector, planes, t);
      let b = this.buckets[t]!.get(h);
      if (!b) this.buckets[t]!.set(h, (b = []));
      b.push(i);
    }
  }

  nearest(vector: Float32Array, threshold: number, now: number): VectorEntry | undefined {
    if (!this.planes || this.planes[0]!.length !== vector.length) return undefined;
    let best: VectorEntry | undefined;
    let bestScore = threshold;
    const seen = new Set<number>();
    for (let t = 0; t < TABLES; t++) {
      for (const i of this.buckets[t]!.get(hash(vector, this.planes, t)) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        const e = this.entries[i]!;
        if (e.expiresAt <= now || e.vector.length !== vector.length) continue;
        const score = dot(vector, e.vector);
        if (score >= bestScore) {
          bestScore = score;
          best = e;
        }
      }
    }
    return best;
  }
}

/** Planes from a fixed seed: every process hashes the same vector into the same buckets. */
function hyperplanes(dims: number): Float32Array[] {
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: TABLES * BITS }, () => Float32Array.from({ length: dims }, rand));
}

function hash(v: Float32Array, planes: Float32Array[], table: number): number {
  let h = 0;
  for (let b = 0; b < BITS; b++) if (dot(v, planes[table * BITS + b]!) >= 0) h |= 1 << b;
  return h;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Semantic lookups and writes over a store, with an in-process index per scope. */
export class SemanticIndex {
  private readonly scopes = new Map<string, ScopeIndex>();
  constructor(private readonly store: Store, readonly embedder: Embedder) {}

  /** The scope key extended by the embedder, so that two embedding spaces never mix. */
  private key(scope: string): string {
    return `${scope}:${this.embedder.id}`;
  }

  async lookup(scope: string, vector: Float32Array, threshold: number): Promise<string | undefined> {
    const index = await this.sync(this.key(scope));
    return index.nearest(vector, threshold, Date.now())?.value;
  }

  async add(scope: string, vector: Float32Array, value: string, ttlMs: number): Promise<void> {
    await this.store.vectorAdd(this.key(scope), { vector, value, expiresAt: Date.now() + ttlMs });
  }

  /** Brings the scope's index up to date with the store (entries other processes added too). */
  private async sync(key: string): Promise<ScopeIndex> {
    let index = this.scopes.get(key);
    if (!index) this.scopes.set(key, (index = new ScopeIndex()));
    const idx = index;
    idx.syncing ??= this.store.vectorsSince(key, idx.cursor).then(
      ({ entries, cursor }) => {
        for (const e of entries) idx.add(e);
        idx.cursor = cursor;
        idx.syncing = undefined;
      },
      (e: unknown) => {
        idx.syncing = undefined;
        throw e;
      },
    );
    await idx.syncing;
    return idx;
  }
}
