// Runs eval cases: each case `repeat` times through the prompt's function (built in memory),
// at most `concurrency` calls at once, live, recording, or replaying cassettes. A case passes
// when at least `minPass` of its runs pass every assertion.
import { type CompiledPrompt, type EvalCaseIR, type ProviderDeclaration } from "@promptc/core";
import { PromptError, Runtime, type CallRecord, type PromptFunction, type RuntimeOptions } from "@promptc/runtime";
import { resolveAdapter } from "@promptc/runtime/providers";
import type { Embedder } from "@promptc/runtime/stores";
import { expectAssertion, runAssertion, type AssertionContext, type JudgeVerdict } from "./assertions/index.js";
import { Cassettes, inScope, type CallScope, type CassetteMiss } from "./cassettes.js";
import { inMemoryPrompt } from "./in-memory-prompt.js";
import { quantile } from "../records-file.js";

export type EvalMode = "live" | "record" | "replay";

export interface EvalOptions {
  mode: EvalMode;
  cassettesDir: string;
  concurrency: number;
  repeat: number;
  minPass: number;
  embedder: Embedder;
  /** Where keys and base URLs are read from: the command's environment. */
  env: Readonly<Record<string, string | undefined>>;
  onProgress?: (done: number, total: number, failedRuns: number) => void;
  /** promptc's local server answers instead of the providers (`--local`): no key, no cost. */
  localServer?: string;
  /** Tests: runtime options over the ones built here (e.g. adapters for live runs). */
  runtime?: Partial<RuntimeOptions>;
}

interface AssertionOutcome {
  type: string;
  path: string;
  at: string;
  pass: boolean;
  score: number;
  reason: string;
}

interface RunOutcome {
  pass: boolean;
  /** Why the run could not be judged (the call failed, a cassette missed). */
  error: string | null;
  output: unknown;
  costUsd: number;
  judgeCostUsd: number;
  latencyMs: number;
  assertions: AssertionOutcome[];
  /** Answered by promptc's local server (live, or replayed from its recording): costs 0. */
  local: boolean;
}

export interface CaseOutcome {
  promptId: string;
  version: number;
  hash: string;
  name: string;
  at: string;
  status: "pass" | "fail" | "error";
  passedRuns: number;
  runs: RunOutcome[];
  /** Mean over runs. */
  costUsd: number;
  /** Median over runs. */
  latencyMs: number;
  /** Mean assertion score over runs. */
  score: number;
  /** Some run was answered by the local server. */
  local: boolean;
}

export interface EvalResults {
  mode: EvalMode;
  repeat: number;
  minPass: number;
  startedAt: string;
  durationMs: number;
  cases: CaseOutcome[];
  totals: { cases: number; passed: number; failed: number; errors: number; costUsd: number; misses: number };
  passRate: number;
  misses: CassetteMiss[];
  cassettesWritten: string[];
}

export async function runEvals(prompts: readonly CompiledPrompt[], cases: readonly EvalCaseIR[], opts: EvalOptions): Promise<EvalResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const byId = new Map(prompts.map((p) => [p.ir.id, p]));
  const fns = new Map<string, PromptFunction<unknown, unknown>>();
  const fnOf = (id: string) => {
    let f = fns.get(id);
    if (!f) fns.set(id, (f = inMemoryPrompt(byId.get(id)!)));
    return f;
  };

  const cassettes = opts.mode === "live" ? null : new Cassettes(opts.cassettesDir, opts.mode, opts.localServer !== undefined);
  // Judges included: every prompt a case may call.
  cassettes?.preload(new Set([...cases.map((c) => c.promptId), ...cases.flatMap((c) => c.assert.filter((a) => a.type === "judge").map((a) => a.value as string))]));
  const { providers: given, ...runtimeOptions } = opts.runtime ?? {};
  const runtime = new Runtime({
    env: opts.env,
    ...runtimeOptions,
    providers: cassettes ? cassetteProviders(prompts, opts, cassettes, given) : given ?? {},
    ...(opts.localServer !== undefined && !cassettes ? { localServer: opts.localServer } : {}),
    // Replayed replies never fail in transit, so there is nothing to wait for between attempts.
    ...(opts.mode === "replay" ? { sleep: async () => {} } : {}),
  });

  const misses: CassetteMiss[] = [];
  const call = async (promptId: string, input: unknown, scopeMisses: CassetteMiss[]) => {
    const p = byId.get(promptId)!.ir;
    const scope: CallScope = { promptId, version: p.version, hash: p.hash, replayedLatencyMs: 0, misses: scopeMisses };
    try {
      const { output, record } = await inScope(scope, () => fnOf(promptId).withRecord(input, { runtime, cache: "bypass" }));
      const local = record.local === true || scope.local === true || (opts.localServer !== undefined && opts.mode === "record");
      // The local server's replies cost nothing, whatever the prompt's models are priced at.
      return { ok: true as const, output, record, local, costUsd: local ? 0 : record.costUsd, latencyMs: opts.mode === "replay" ? scope.replayedLatencyMs : record.latencyMs };
    } catch (e) {
      if (!(e instanceof PromptError)) throw e;
      return { ok: false as const, error: e };
    }
  };

  const runOnce = async (c: EvalCaseIR): Promise<RunOutcome> => {
    const runMisses: CassetteMiss[] = [];
    const result = await call(c.promptId, c.input, runMisses);
    let judgeCostUsd = 0;
    const missed = (): RunOutcome | null => {
      if (!runMisses.length) return null;
      misses.push(...runMisses);
      const m = runMisses[0]!;
      return {
        pass: false, output: null, costUsd: 0, judgeCostUsd, latencyMs: 0, assertions: [], local: false,
        error: `no recorded reply for \`${m.promptId}\` v${m.version} from ${m.provider}:${m.model} in ${m.file} (key ${m.key}); record it with \`promptc eval --record\``,
      };
    };
    if (!result.ok) {
      // A failed call still cost what its attempts cost.
      const costUsd = opts.localServer !== undefined ? 0 : result.error.attempts.reduce((sum, a) => sum + (a.costUsd ?? 0), 0);
      return missed() ?? { pass: false, error: `the call failed: ${result.error.code}: ${result.error.message}`, output: null, costUsd, judgeCostUsd, latencyMs: 0, assertions: [], local: opts.localServer !== undefined };
    }
    const prompt = byId.get(c.promptId)!.ir;
    const record: CallRecord = result.record;
    const ctx: AssertionContext = {
      input: c.input,
      output: result.output,
      record,
      schemaValid: record.valid && record.fallback !== "value",
      costUsd: result.costUsd,
      latencyMs: result.latencyMs,
      expected: c.expect,
      embedder: opts.embedder,
      judge: async (judgeId, fields): Promise<JudgeVerdict> => {
        const judge = byId.get(judgeId)!.ir;
        const declared = new Set(judge.input.properties.map((p) => p.name));
        const input = Object.fromEntries(Object.entries(fields).filter(([k]) => declared.has(k)));
        const r = await call(judgeId, input, runMisses);
        if (!r.ok) throw new Error(`judge \`${judgeId}\` failed: ${r.error.code}: ${r.error.message}`);
        judgeCostUsd += r.costUsd;
        const v = r.output as { pass: boolean; score?: number | null; reason?: string | null };
        return { pass: v.pass, score: typeof v.score === "number" ? v.score : null, reason: v.reason ?? "", costUsd: r.costUsd };
      },
    };
    const assertions = c.expect !== undefined ? [expectAssertion(c.expect, c.at, prompt.outputFormat === "text"), ...c.assert] : c.assert;
    const outcomes: AssertionOutcome[] = [];
    for (const a of assertions) {
      const r = await runAssertion(a, ctx);
      outcomes.push({ type: `${a.negate ? "not-" : ""}${a.type}`, path: a.path.join("."), at: a.at, ...r });
    }
    return missed() ?? { pass: outcomes.every((o) => o.pass), error: null, output: result.output, costUsd: result.costUsd, judgeCostUsd, latencyMs: result.latencyMs, assertions: outcomes, local: result.local };
  };

  // Cases × repeats, taken in order by `concurrency` workers.
  const runs: RunOutcome[][] = cases.map(() => []);
  const total = cases.length * opts.repeat;
  let next = 0;
  let done = 0;
  let failedRuns = 0;
  const worker = async () => {
    while (next < total) {
      const job = next++;
      const ci = Math.floor(job / opts.repeat);
      const r = await runOnce(cases[ci]!);
      runs[ci]!.push(r);
      done++;
      if (!r.pass) failedRuns++;
      opts.onProgress?.(done, total, failedRuns);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, total)) }, worker));

  const outcomes: CaseOutcome[] = cases.map((c, i) => {
    const r = runs[i]!;
    const p = byId.get(c.promptId)!.ir;
    const passedRuns = r.filter((x) => x.pass).length;
    const status = passedRuns >= opts.minPass ? "pass" : r.some((x) => x.error) && r.every((x) => !x.pass) ? "error" : "fail";
    const scores = r.flatMap((x) => (x.assertions.length ? [x.assertions.reduce((s, a) => s + a.score, 0) / x.assertions.length] : x.error ? [0] : [1]));
    return {
      promptId: c.promptId, version: p.version, hash: p.hash, name: c.name, at: c.at, status, passedRuns, runs: r,
      costUsd: mean(r.map((x) => x.costUsd + x.judgeCostUsd)),
      latencyMs: quantile(r.map((x) => x.latencyMs), 0.5),
      score: mean(scores),
      local: r.some((x) => x.local),
    };
  });
  const passed = outcomes.filter((o) => o.status === "pass").length;
  const errors = outcomes.filter((o) => o.status === "error").length;
  const cassettesWritten = cassettes && opts.mode === "record" ? cassettes.save() : [];
  return {
    mode: opts.mode,
    repeat: opts.repeat,
    minPass: opts.minPass,
    startedAt,
    durationMs: performance.now() - started,
    cases: outcomes,
    totals: { cases: outcomes.length, passed, failed: outcomes.length - passed - errors, errors, costUsd: runs.flat().reduce((s, x) => s + x.costUsd + x.judgeCostUsd, 0), misses: misses.length },
    passRate: outcomes.length ? passed / outcomes.length : 1,
    misses,
    cassettesWritten,
  };
}

/** Cassettes in replay; cassettes over the real providers (or the ones `given`) when recording. */
function cassetteProviders(prompts: readonly CompiledPrompt[], opts: EvalOptions, cassettes: Cassettes, given: RuntimeOptions["providers"]): NonNullable<RuntimeOptions["providers"]> {
  const declared = new Map<string, ProviderDeclaration>();
  for (const p of prompts) for (const [name, d] of Object.entries(p.ir.model.providers)) declared.set(name, d);
  const providers: NonNullable<RuntimeOptions["providers"]> = {};
  for (const [name, d] of declared) {
    let real;
    if (cassettes.mode === "record") {
      // The runtime's rule for a reachable provider; without one there is nothing to record from: the call says so.
      real = resolveAdapter(name, d, { env: opts.env, override: given?.[name], localServer: opts.localServer }) ?? undefined;
    }
    providers[name] = { adapter: cassettes.adapter(name, real) };
  }
  return providers;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

