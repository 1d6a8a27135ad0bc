import { describe, expect, it } from "vitest";
import { MemoryStore } from "../store/memory.js";
import { canonicalJson, exactKey } from "./key.js";
import { inputText, lexicalVector, SemanticIndex, type Embedder } from "./semantic.js";

// Unit vectors with a chosen cosine to a base vector, in 64 dimensions.
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) - 0.5;
const unit = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const randomUnit = () => unit(Float32Array.from({ length: 64 }, rand));
function atCosine(base: Float32Array, cos: number): Float32Array {
  const r = randomUnit();
  const along = r.reduce((s, x, i) => s + x * base[i]!, 0);
  const ortho = unit(r.map((x, i) => x - along * base[i]!));
  return unit(base.map((x, i) => cos * x + Math.sqrt(1 - cos * cos) * ortho[i]!));
}
const fixed: Embedder = { id: "test", embed: async () => new Float32Array(64) };

describe("semantic index", () => {
  it("finds every entry above the threshold among thousands, and none below it", async () => {
    const store = new MemoryStore();
    const index = new SemanticIndex(store, fixed);
    const bases = Array.from({ length: 200 }, randomUnit);
    for (let i = 0; i < 3000; i++) await index.add("s", randomUnit(), JSON.stringify(`noise ${i}`), 60_000);
    for (const [i, b] of bases.entries()) await index.add("s", b, JSON.stringify(i), 60_000);
    let above = 0;
    let below = 0;
    for (const [i, b] of bases.entries()) {
      if ((await index.lookup("s", atCosine(b, 0.96), 0.95)) === JSON.stringify(i)) above++;
      if ((await index.lookup("s", atCosine(b, 0.9), 0.95)) !== undefined) below++;
    }
    expect(above).toBe(200);
    expect(below).toBe(0);
  });

  it("never answers from another scope or another embedder", async () => {
    const store = new MemoryStore();
    const v = lexicalVector("refund my order");
    await new SemanticIndex(store, fixed).add("s", v, '"x"', 60_000);
    expect(await new SemanticIndex(store, fixed).lookup("other", v, 0.95)).toBeUndefined();
    expect(await new SemanticIndex(store, { ...fixed, id: "other-model" }).lookup("s", v, 0.95)).toBeUndefined();
    expect(await new SemanticIndex(store, fixed).lookup("s", v, 0.95)).toBe('"x"');
  });

  it("embeds values, not keys, and the lexical embedder ignores case and spacing", () => {
    expect(inputText({ ticket: "Charged twice", tags: ["billing"], n: 2 })).toBe("Charged twice\nbilling\n2");
    const a = lexicalVector("I was charged twice");
    const b = lexicalVector("i was   CHARGED twice");
    expect(a.reduce((s, x, i) => s + x * b[i]!, 0)).toBeCloseTo(1, 5);
  });
});

describe("exact key", () => {
  it("is the same for the same input in any key order, and differs by scope or input", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(exactKey("s", { a: 1, b: 2 })).toBe(exactKey("s", { b: 2, a: 1 }));
    expect(exactKey("s", { a: 1 })).not.toBe(exactKey("t", { a: 1 }));
    expect(exactKey("s", { a: 1 })).not.toBe(exactKey("s", { a: 2 }));
  });
});

describe("OpenAIEmbedder", () => {
  it("embeds through the official SDK against an OpenAI-compatible endpoint, normalised", async () => {
    const { startMockServer } = await import("../testing/server.js");
    const { OpenAIEmbedder } = await import("./semantic.js");
    const server = await startMockServer();
    try {
      const embedder = new OpenAIEmbedder({ model: "text-embedding-3-small", apiKey: "sk-test", baseURL: server.openaiBaseURL });
      expect(embedder.id).toBe("openai:text-embedding-3-small");
      const a = await embedder.embed("I was charged twice");
      const b = await embedder.embed("i was charged TWICE");
      const c = await embedder.embed("the app crashes on upload");
      const cos = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
      expect(a).toHaveLength(64);
      expect(cos(a, a)).toBeCloseTo(1, 5);
      expect(cos(a, b)).toBeGreaterThan(0.95);
      expect(cos(a, c)).toBeLessThan(0.5);
      expect(server.requests.map((r) => [r.path, r.body["model"], r.body["input"]])).toEqual([
        ["/v1/embeddings", "text-embedding-3-small", "I was charged twice"],
        ["/v1/embeddings", "text-embedding-3-small", "i was charged TWICE"],
        ["/v1/embeddings", "text-embedding-3-small", "the app crashes on upload"],
      ]);
    } finally {
      await server.close();
    }
  });
});
