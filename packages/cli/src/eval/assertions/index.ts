// Runs one assertion against one call: picks the value at its path, applies the check, and
// turns the result around for `not-` forms.
import type { AssertionIR } from "@promptc/core";
import { js } from "./js.js";
import { judge } from "./judge.js";
import { maxCost, maxLatency } from "./limits.js";
import { schemaValid } from "./schema-valid.js";
import { similar } from "./similar.js";
import type { AssertionContext, AssertionResult, Check } from "./types.js";
import { contains, equals, matches, range, regex } from "./value.js";

export type { AssertionContext, AssertionResult, JudgeVerdict } from "./types.js";

const CHECKS: Record<AssertionIR["type"], Check> = {
  equals,
  matches,
  contains,
  regex,
  range,
  "schema-valid": schemaValid,
  js,
  similar,
  judge,
  "max-cost": maxCost,
  "max-latency": maxLatency,
};

export async function runAssertion(a: AssertionIR, ctx: AssertionContext): Promise<AssertionResult> {
  let target: unknown = ctx.output;
  for (const p of a.path) target = target !== null && typeof target === "object" ? (target as Record<string | number, unknown>)[p] : undefined;
  let r: AssertionResult;
  try {
    r = await CHECKS[a.type](a, target, ctx);
  } catch (e) {
    return { pass: false, score: 0, reason: `\`${a.negate ? "not-" : ""}${a.type}\` could not run: ${(e as Error).message}` };
  }
  if (!a.negate) return r;
  return r.pass ? { pass: false, score: 1 - r.score, reason: `${r.reason}, which \`not-${a.type}\` forbids` } : { pass: true, score: 1 - r.score, reason: r.reason };
}

/** `expect:` is shorthand: equals for text outputs, matches for the rest. */
export function expectAssertion(expected: AssertionIR["value"], at: string, textOutput: boolean): AssertionIR {
  return { type: textOutput ? "equals" : "matches", negate: false, path: [], value: expected, at };
}
