// similar: cosine similarity of embeddings of the output and the reference text. The embedder
// is the lexical one unless `promptc eval --embedder` names a model.
import { no, show, where, yes, type Check } from "./types.js";

const DEFAULT_SIMILAR_THRESHOLD = 0.8;

export const similar: Check = async (a, target, ctx) => {
  const text = typeof target === "string" ? target : JSON.stringify(target) ?? "";
  const [x, y] = await Promise.all([ctx.embedder.embed(text), ctx.embedder.embed(a.value as string)]);
  const score = cosine(x, y);
  const threshold = a.threshold ?? DEFAULT_SIMILAR_THRESHOLD;
  const said = `${where(a)} is ${score.toFixed(3)} similar to ${show(a.value)} (${ctx.embedder.id}, threshold ${threshold})`;
  return score >= threshold ? yes(said, Math.max(0, score)) : no(`${said}: it is ${show(text)}`, Math.max(0, score));
};

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
