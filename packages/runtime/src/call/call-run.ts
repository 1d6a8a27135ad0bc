// One call's state, shared by calls and streams, and the one writer of its record.
import type { PreparedPrompt, PromptSchemas } from "../contract/prepared.js";
import type { CallSettings, Message, PromptMeta } from "../contract/prompt.js";
import type { AttemptRecord, CallRecord } from "../contract/records.js";
import { cacheEntry, type CacheEntry } from "../cache/response-cache.js";
import { budgetFor, type CallBudget } from "../budget/budgets.js";
import type { Refusal } from "../budget/attempt-budget.js";
import { CallAbortedError } from "../errors/prompt-errors.js";
import type { CallStart } from "../pure/clock.js";
import { newRecord } from "../records/build.js";
import { deliverRecord } from "../records/deliver.js";
import type { EngineContext } from "./context.js";
import type { PromptPlan } from "./plan.js";
import type { PreparedInput } from "./prepare.js";

export interface CallRun<I, O> {
  prompt: PreparedPrompt<I, O>;
  schemas: PromptSchemas<I, O>;
  meta: PromptMeta;
  plan: PromptPlan;
  record: CallRecord;
  attempts: AttemptRecord[];
  messages: Message[];
  signal: AbortSignal | undefined;
  /** Date.now() after which no attempt starts (Infinity without a deadline). */
  deadlineAt: number;
  /** performance.now() when the call began. */
  started: number;
  /** The response cache for this call, when the prompt declares one and the call does not bypass it. */
  cache: CacheEntry | null;
  /** The budgets this call is charged to, when the prompt declares any. */
  budget: CallBudget | null;
  /** Why the last reservation was refused. */
  refusal?: Refusal;
  /** Models of the chain with a reachable provider, so far. */
  configured: number;
  /** Of those, how many could not hold the request. */
  overflowed: number;
}

/**
 * Writes a call's record: its latency and error code, then every sink (and a stream's record
 * promise). Exactly once per call: a second finish is a bug in the engine, and says so.
 */
export class RecordWriter {
  readonly record: CallRecord;
  private finished = false;

  constructor(private readonly ctx: EngineContext, meta: PromptMeta, readonly start: CallStart, options: CallSettings, private readonly onDone?: (record: CallRecord) => void) {
    const record = (this.record = newRecord(meta, start.at));
    if (ctx.providers.localServer) record.local = true;
    record.user = options.user ?? null;
    record.feature = options.feature ?? meta.policies.budget?.feature ?? null;
  }

  finish(errorCode: string | null): void {
    if (this.finished) throw new Error(`promptc: internal error: the record of call ${this.record.callId} was finished twice`);
    this.finished = true;
    this.record.latencyMs = Math.round(performance.now() - this.start.t0);
    this.record.errorCode = errorCode;
    deliverRecord(this.ctx.sinks, this.record);
    this.onDone?.(this.record);
  }
}

/**
 * What every call starts with, once its input is validated and rendered: its plan, deadline,
 * cache entry and budgets. `cacheable`: whether this kind of call reads
 * and writes the response cache (streams do not).
 */
export function beginRun<I, O>(ctx: EngineContext, prompt: PreparedPrompt<I, O>, schemas: PromptSchemas<I, O>, prepared: PreparedInput<I>, options: CallSettings, writer: RecordWriter, cacheable: boolean): CallRun<I, O> {
  const { meta } = prompt;
  const deadlineMs = options.deadlineMs ?? meta.policies.retry.deadlineMs;
  const plan = ctx.plans.of(prompt as PreparedPrompt<unknown, unknown>);
  const scope = cacheable && options.cache !== "bypass" ? plan.scope : null;
  const { record } = writer;
  return {
    prompt, schemas, meta, plan, record, attempts: record.attempts, messages: prepared.messages, signal: options.signal,
    deadlineAt: deadlineMs === null || deadlineMs === undefined ? Infinity : writer.start.at + deadlineMs,
    started: writer.start.t0,
    cache: scope ? cacheEntry(meta, scope, prepared.input) : null,
    budget: budgetFor(meta, options),
    configured: 0,
    overflowed: 0,
  };
}

/** Before each attempt: ends the call if the caller aborted, else the time left before the deadline. */
export function timeLeft(run: CallRun<unknown, unknown>): number {
  if (run.signal?.aborted) throw aborted(run);
  return run.deadlineAt - Date.now();
}

export function aborted(run: CallRun<unknown, unknown>): CallAbortedError {
  return new CallAbortedError(run.meta, run.record.attempts, run.record.callId);
}
