// judge: another prompt of the project reads the output and decides. Its verdict is `pass`,
// with an optional `score` (which must reach `threshold` when one is given) and `reason`.
import { no, yes, type Check } from "./types.js";

export const judge: Check = async (a, target, ctx) => {
  const verdict = await ctx.judge(a.value as string, {
    output: typeof target === "string" ? target : JSON.stringify(target),
    input: JSON.stringify(ctx.input),
    ...(a.criteria !== undefined ? { criteria: a.criteria } : {}),
    ...(ctx.expected !== undefined ? { expected: JSON.stringify(ctx.expected) } : {}),
  });
  const score = verdict.score ?? (verdict.pass ? 1 : 0);
  const by = `judge \`${String(a.value)}\``;
  const because = verdict.reason ? `: ${verdict.reason}` : "";
  if (!verdict.pass) return no(`${by} failed it${because}`, score);
  if (a.threshold !== undefined && verdict.score !== null && verdict.score < a.threshold) return no(`${by} passed it with score ${verdict.score}, below the threshold ${a.threshold}${because}`, score);
  return yes(`${by} passed it${verdict.score !== null ? ` (score ${verdict.score})` : ""}${because}`, score);
};
