// The semantic cache (opt-in per prompt): the input's values are embedded, and an earlier call
// of the same prompt, version, model chain and parameters (the scope) whose input embeds within
// the prompt's cosine threshold (default 0.95) answers instead of a model.
//
// Search scores exactly the entries a SimHash prefilter lets through (see ScopeIndex).
import type { Store, VectorEntry } from "../contract/store.js";
import type { Embedder } from "../contract/runtime.js";

export type { Embedder };


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
    // OPENAI_API_KEY as in pure/provider-env.ts; not imported from there, since sharing that module
    // with the stores entry splits it into a chunk of its own that importing the runtime loads.
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

// A 128-bit SimHash (random hyperplanes, fixed seed) of every entry. Two vectors at angle θ
// differ in each bit with probability θ/π, so at cosine 0.95 they differ in ~13 of 128 bits
// (sd 3.4). A lookup scans the signatures (a few XORs and popcounts an entry) and scores only
// entries within mean + 4 sd of the threshold's expected distance (27 bits at 0.95): recall above
// 99.99% at the threshold, better above it, while dissimilar entries (cosine 0.6: ~38 bits) are
// mostly never scored.
const BITS = 128;
const WORDS = BITS / 32;

/** One scope's entries and signatures, kept in step with the store. */
class ScopeIndex {
  entries: VectorEntry[] = [];
  signatures = new Uint32Array(1024 * WORDS);
  cursor = 0;
  planes: Float32Array[] | undefined;
  syncing: Promise<void> | undefined;

  add(entry: VectorEntry): void {
    const planes = (this.planes ??= hyperplanes(entry.vector.length));
    if (entry.vector.length !== planes[0]!.length) return; // another dimension: never comparable
    const i = this.entries.push(entry) - 1;
    if ((i + 1) * WORDS > this.signatures.length) {
      const grown = new Uint32Array(this.signatures.length * 2);
      grown.set(this.signatures);
      this.signatures = grown;
    }
    signature(entry.vector, planes, this.signatures, i * WORDS);
  }

  nearest(vector: Float32Array, threshold: number, now: number): VectorEntry | undefined {
    if (!this.planes || this.planes[0]!.length !== vector.length) return undefined;
    const q = new Uint32Array(WORDS);
    signature(vector, this.planes, q, 0);
    const maxDistance = hammingBound(threshold);
    const sig = this.signatures;
    let best: VectorEntry | undefined;
    let bestScore = threshold;
    for (let i = 0, o = 0; i < this.entries.length; i++, o += WORDS) {
      const d = popcount(sig[o]! ^ q[0]!) + popcount(sig[o + 1]! ^ q[1]!) + popcount(sig[o + 2]! ^ q[2]!) + popcount(sig[o + 3]! ^ q[3]!);
      if (d > maxDistance) continue;
      const e = this.entries[i]!;
      if (e.expiresAt <= now) continue;
      const score = dot(vector, e.vector);
      if (score >= bestScore) {
        bestScore = score;
        best = e;
      }
    }
    return best;
  }
}

/** Bits two vectors at the threshold's cosine differ in: mean plus four standard deviations. */
function hammingBound(threshold: number): number {
  const p = Math.acos(Math.min(1, Math.max(-1, threshold))) / Math.PI;
  return Math.ceil(BITS * p + 4 * Math.sqrt(BITS * p * (1 - p)));
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Planes from a fixed seed: every process signs the same vector the same way. */
function hyperplanes(dims: number): Float32Array[] {
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: BITS }, () => Float32Array.from({ length: dims }, rand));
}

function signature(v: Float32Array, planes: Float32Array[], out: Uint32Array, at: number): void {
  for (let w = 0; w < WORDS; w++) {
    let word = 0;
    for (let b = 0; b < 32; b++) if (dot(v, planes[w * 32 + b]!) >= 0) word |= 1 << b;
    out[at + w] = word >>> 0;
  }
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
