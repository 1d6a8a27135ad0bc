// The chain driver, shared by calls and streams: for each model of the chain that can take the
// call, attempts (each reserved against the budget, sent, charged and settled), re-asks on an
// invalid output, waits between retries, and at the end the declared fallback or a typed error.
// How an attempt is sent (whole, or streamed) is the Sender's; everything around it is here once.
import type { Message, ModelTarget } from "../contract/prompt.js";
import type { ProviderAdapter, ProviderResponse } from "../contract/provider.js";
import type { ModelPrice } from "../contract/price.js";
import { alertBudgets, reserveAttempt, settleAttempt } from "../budget/attempt-budget.js";
import { failedAttemptNanos } from "../budget/budgets.js";
import { AllModelsFailedError, BudgetExceededError, ContextOverflowError, PackageMissingError, ProviderNotConfiguredError, StoreUnavailableError, StreamFailedError } from "../errors/prompt-errors.js";
import { TransportError } from "../errors/transport-error.js";
import { toNanos } from "../pure/money.js";
import { MissingPackageError } from "../pure/optional-package.js";
import { attemptRecord, chargeAnswer, chargeFailure } from "../records/build.js";
import { mayHaveBeenBilled, ModelUnavailableError } from "../resilience/breakers.js";
import { retryDecision } from "../resilience/retry-decision.js";
import { wait } from "../resilience/wait.js";
import { fitsWindow, upperBound } from "../tokens/count.js";
import { aborted, timeLeft, type CallRun } from "./call-run.js";
import type { EngineContext } from "./context.js";
import { readOutput } from "./output.js";
import { reaskMessages } from "./reask.js";
import { strictSchemaOf } from "./prepare.js";

type AnyRun = CallRun<unknown, unknown>;

/** A model of the chain that can take the call, and how it is sent. */
export interface Reachable {
  index: number;
  target: ModelTarget;
  adapter: ProviderAdapter;
  strictSent: boolean;
  /** Input tokens the request carries besides the messages (schema, tool, tool prompt), bounded from above. */
  overhead: number;
}

/** What an attempt may use: the time left, the model's price, the nano-dollars reserved for it. */
export interface Attempt {
  remaining: number;
  price: ModelPrice | undefined;
  reserved: number;
}

/** How an attempt is sent: whole (a call) or streamed. */
export interface Sender {
  /** Whether an invalid output is re-asked (calls); a stream's content was already shown, so it ends the chain. */
  readonly reasks: boolean;
  /** The reply; rejects with the attempt's error, wrapped in AfterContent once content reached the caller. */
  send(run: AnyRun, reached: Reachable, messages: Message[], attempt: Attempt): Promise<ProviderResponse>;
}

/** A stream's failure after content reached the caller: final, whatever the error. */
export class AfterContent {
  constructor(readonly error: unknown) {}
}

type ChainFailure = "E_ALL_MODELS_FAILED" | "E_OUTPUT_INVALID" | "E_DEADLINE";

/** How a call ends without a typed error: an output, or the declared fallback value (with the failure it stands in for). */
export type ChainEnd<O> = { output: O; fallback: false; errorCode: null } | { fallback: true; value: unknown; errorCode: string };

export async function driveChain<O>(ctx: EngineContext, run: CallRun<unknown, O>, sender: Sender): Promise<ChainEnd<O>> {
  const { prompt, meta, plan, attempts, record } = run;
  const { retry } = meta.policies;
  let failure: ChainFailure = "E_ALL_MODELS_FAILED";

  chain: for (let i = 0; i < prompt.targets.length; i++) {
    const next = reach(ctx, run, i);
    const reached = next instanceof Promise ? await next : next;
    if (!reached) continue;
    const { index, target, strictSent, overhead } = reached;
    let conversation = run.messages;
    let reasks = 0;
    for (let attempt = 1; attempt <= retry.attempts; ) {
      const next = beforeAttempt(ctx, run, index, target, conversation, overhead);
      const ready = next instanceof Promise ? await next : next;
      if (ready === "deadline") {
        failure = "E_DEADLINE";
        break chain;
      }
      if (ready === "over-budget") return overBudget(run);
      const { price, reserved } = ready;
      const t0 = performance.now();
      let response: ProviderResponse;
      try {
        response = await sender.send(run, reached, conversation, ready);
      } catch (e) {
        if (e instanceof AfterContent) {
          // Content reached the caller: the whole reservation stands, and no other model may continue.
          if (run.budget) await settle(ctx, run, reserved, reserved);
          throw streamBroke(run, target, t0, e.error);
        }
        const lost = mayHaveBeenBilled(e) ? failedAttemptNanos(price, upperBound(conversation) + overhead) : 0;
        if (run.budget) await settle(ctx, run, reserved, lost);
        const then = await afterFailure(ctx, run, e, target, attempt, reasks > 0, t0);
        chargeFailure(record, price, lost);
        if (then === "aborted") throw aborted(run);
        if (then === "next-model") continue chain;
        attempt++;
        continue;
      }

      const { cost, tokens } = chargeAnswer(record, price, response);
      if (run.budget) await settle(ctx, run, reserved, cost === null ? 0 : toNanos(cost));
      const result = readOutput(response, meta, run.schemas.OutputSchema, strictSent, plan.nullsToDrop);
      if (result.ok) {
        attempts.push({ ...attemptRecord(target, "ok", performance.now() - t0, reasks > 0), ...tokens, costUsd: cost });
        Object.assign(record, { answeredModel: response.model, provider: target.provider, fallback: index > 0 ? "model" : null, valid: true });
        if (run.cache) ctx.cache.remember(run.cache, result.value);
        return { output: result.value, fallback: false, errorCode: null };
      }
      attempts.push({ ...attemptRecord(target, "invalid_output", performance.now() - t0, reasks > 0), ...tokens, costUsd: cost, issues: result.problem });
      failure = "E_OUTPUT_INVALID";
      if (!sender.reasks) break chain; // content was sent: no re-ask, no other model
      if (reasks >= meta.policies.reask) continue chain;
      // A re-ask is not a transport retry: it does not use up an attempt.
      reasks++;
      record.reasks++;
      conversation = [...conversation, ...reaskMessages(response.text, result.problem, meta)];
    }
  }
  return endOfChain(run, failure);
}

/** Settles an attempt's reservation to what it cost (see settleAttempt). */
function settle(ctx: EngineContext, run: AnyRun, reserved: number, actual: number): Promise<void> {
  const budget = run.budget!;
  return settleAttempt(ctx.store, budget, reserved, actual, (keys) => alertBudgets(ctx.options.onBudgetAlert, budget, run.meta, keys));
}

/**
 * The chain's model at `index` if it can take this call: its provider reachable (else recorded
 * as not configured), the request within its window (else recorded as overflow), and its SDK
 * loaded, so that loading does not eat the first attempt's timeout. Synchronous once the SDK is
 * loaded and the size is settled by a bound, as it is on nearly every call.
 */
function reach(ctx: EngineContext, run: AnyRun, index: number): Reachable | null | Promise<Reachable | null> {
  const { meta, plan } = run;
  const target = run.prompt.targets[index]!;
  const declared = meta.model.providers[target.provider];
  const adapter = ctx.providers.adapterFor(target.provider, declared);
  if (!adapter) {
    run.attempts.push(attemptRecord(target, "not_configured", 0));
    return null;
  }
  run.configured++;
  const type = declared?.type;
  // Anthropic gets the plain schema as a tool; OpenAI-style providers the strict variant when there is one.
  const strictSent = type !== "anthropic" && strictSchemaOf(run.prompt) !== null;
  const facts = plan.targets[index]!;
  const overhead = (facts.overhead ??= adapter.inputOverheadBound?.(strictSent ? plan.strictSpec : plan.plainSpec) ?? 0);
  const reachable: Reachable = { index, target, adapter, strictSent, overhead };
  const { window } = facts;
  const bounded = window === undefined || upperBound(run.messages) + overhead + meta.model.maxTokens <= window;
  if (bounded) {
    const ready = adapter.ready?.();
    return ready ? ready.then(() => reachable, (e: unknown) => notLoaded(run, target, e)) : reachable;
  }
  return fitsWindow(run.messages, overhead, meta.model.maxTokens, window, type === "openai" ? "openai" : "other").then(async (fit) => {
    if (!fit.fits) {
      run.overflowed++;
      run.attempts.push({ ...attemptRecord(target, "context_overflow", 0), inputTokens: fit.inputTokens });
      return null;
    }
    try {
      await adapter.ready?.();
    } catch (e) {
      return notLoaded(run, target, e);
    }
    return reachable;
  });
}

/** The adapter's SDK failed to load: a missing package ends the call with what to install. */
function notLoaded(run: AnyRun, target: ModelTarget, e: unknown): never {
  if (!(e instanceof MissingPackageError)) throw e;
  run.attempts.push(attemptRecord(target, "not_configured", 0));
  throw new PackageMissingError(run.meta, e, run.record.attempts, run.record.callId);
}

/**
 * Before each attempt: time left before the deadline (none: "deadline"), the model's price, and
 * the budget reservation (refused: "over-budget", recorded). Synchronous unless there is a budget.
 */
function beforeAttempt(ctx: EngineContext, run: AnyRun, index: number, target: ModelTarget, messages: readonly Message[], overhead: number): Attempt | "deadline" | "over-budget" | Promise<Attempt | "deadline" | "over-budget"> {
  if (timeLeft(run) <= 0) return "deadline";
  const { price } = run.plan.targets[index]!;
  const budget = run.budget;
  if (!budget) return { remaining: timeLeft(run), price, reserved: 0 };
  const { meta } = run;
  const alert = (keys: string[]) => alertBudgets(ctx.options.onBudgetAlert, budget, meta, keys);
  const openaiTokenizer = meta.model.providers[target.provider]?.type === "openai";
  return reserveAttempt(ctx.store, budget, { price, messages, overhead, maxTokens: meta.model.maxTokens, openaiTokenizer }, alert).then(async (r) => {
    if (!r.ok) {
      run.attempts.push(attemptRecord(target, "error" in r.refusal ? "store_unavailable" : "budget_exceeded", 0));
      run.refusal = r.refusal;
      return "over-budget" as const;
    }
    // Reserving took a round trip to the store: the attempt gets what is left after it.
    const remaining = timeLeft(run);
    if (remaining > 0) return { remaining, price, reserved: r.nanos };
    await settleAttempt(ctx.store, budget, r.nanos, 0, alert); // nothing will be sent: release the reservation
    return "deadline" as const;
  });
}

/**
 * Records a failed attempt and decides what follows: wait and retry this model, move to the
 * next one (not retryable, attempts spent, or no time left before the deadline), or stop
 * because the caller aborted.
 */
async function afterFailure(ctx: EngineContext, run: AnyRun, e: unknown, target: ModelTarget, attempt: number, reask: boolean, t0: number): Promise<"retry" | "next-model" | "aborted"> {
  const { retry } = run.meta.policies;
  const error = e instanceof TransportError ? e : new TransportError({ kind: "server", message: `adapter failed: ${e instanceof Error ? e.message : String(e)}`, provider: target.provider, model: target.model });
  run.attempts.push({ ...attemptRecord(target, error instanceof ModelUnavailableError ? "unavailable" : "transport_error", performance.now() - t0, reask), errorKind: error.kind, ...(error.status ? { status: error.status } : {}) });
  const decision = retryDecision(error, { attempt, maxAttempts: retry.attempts, backoff: retry.backoff, remainingMs: run.deadlineAt - Date.now(), callerAborted: !!run.signal?.aborted, random: ctx.options.random });
  if (decision.action !== "retry") return decision.action;
  return (await wait(decision.delayMs, run.signal, ctx.options.sleep)) ? "retry" : "aborted";
}

/** A stream that broke after content was sent: recorded, then aborted or E_STREAM_FAILED. */
function streamBroke(run: AnyRun, target: ModelTarget, t0: number, e: unknown): Error {
  const error = e instanceof TransportError ? e : undefined;
  run.attempts.push({ ...attemptRecord(target, "transport_error", performance.now() - t0), ...(error ? { errorKind: error.kind } : {}) });
  if (run.signal?.aborted || error?.kind === "aborted") return aborted(run);
  return new StreamFailedError(run.meta, error ? error.message.replace(/^[^:]+:[^:]+: /, "") : String(e), run.attempts, run.record.callId);
}

/** A refused reservation: the declared fallback value when the prompt says so, else a typed error. */
function overBudget(run: AnyRun): ChainEnd<never> {
  const { meta, record } = run;
  const refused = run.refusal!;
  const code = "error" in refused ? "E_STORE_UNAVAILABLE" : "E_BUDGET_EXCEEDED";
  if (meta.policies.fallback.kind === "value" && (code === "E_STORE_UNAVAILABLE" || run.budget?.policy.onExceeded === "fallback")) {
    Object.assign(record, { fallback: "value", valid: true });
    return { fallback: true, value: meta.policies.fallback.value, errorCode: code };
  }
  if ("error" in refused) throw new StoreUnavailableError(meta, refused.error, record.attempts, record.callId);
  throw new BudgetExceededError(meta, refused, record.attempts, record.callId);
}

/** What every call ends with when the chain is spent: no provider, the fallback value, or a typed error. */
function endOfChain(run: AnyRun, failure: ChainFailure): ChainEnd<never> {
  const { meta, record } = run;
  if (run.configured === 0) throw new ProviderNotConfiguredError(meta, record.attempts, record.callId);
  // Too large for every model: the caller's input to fix, so no fallback value hides it.
  if (run.overflowed === run.configured) throw new ContextOverflowError(meta, record.attempts, record.callId);
  if (meta.policies.fallback.kind === "value") {
    Object.assign(record, { fallback: "value", valid: true });
    return { fallback: true, value: meta.policies.fallback.value, errorCode: failure };
  }
  throw new AllModelsFailedError(meta, failure, record.attempts, record.callId);
}
