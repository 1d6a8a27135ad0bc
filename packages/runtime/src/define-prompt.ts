// definePrompt: turns what a generated module declares into the typed function callers use.
import { engine } from "./call/load-engine.js";
import type { PreparedPrompt, PromptSchemas } from "./contract/prepared.js";
import type { EnqueueOptions, JobId } from "./contract/jobs.js";
import type { ReviewId, ReviewOutcome } from "./contract/reviews.js";
import type { CallRecord } from "./contract/records.js";
import { OutputParseError } from "./errors/prompt-errors.js";
import { getRuntime, type CallOptions, type Runtime, type StreamOptions } from "./runtime.js";
import type { Message, PromptMeta, PromptStream, RenderedRequest } from "./contract/prompt.js";

/** A generated prompt function: call it, or stream, render or parse with it. */
export interface PromptFunction<I, O> {
  (input: I, options?: CallOptions): Promise<O>;
  /** The same call, with its record: models tried, attempts, tokens, latency, fallback. */
  withRecord(input: I, options?: CallOptions): Promise<{ output: O; record: CallRecord }>;
  /** Reads a reply you already have, leniently, into a validated output; rejects with OutputParseError. */
  parse(text: string): Promise<O>;
  /** Streams the call: text deltas or partial outputs, then the validated output. */
  stream(input: I, options?: StreamOptions): PromptStream<O>;
  /** Validates the input and returns the request a model would receive. Calls nothing. */
  render(input: I): Promise<RenderedRequest>;
  /**
   * Queues the call as a job (`@promptc/runtime/jobs`) and returns its id at once; a worker runs
   * it. The input is validated first: an invalid one rejects and queues nothing.
   */
  enqueue(input: I, options?: EnqueueOptions): Promise<{ id: JobId<O> }>;
  readonly meta: PromptMeta;
}

/**
 * `schemas` is the prompt's zod validators, or (what generated modules pass) a function that
 * imports them: zod takes ~100 ms to load, so a module that imports prompts does not pay for it
 * until the first call.
 */
export function definePrompt<I, O>(meta: PromptMeta, schemas: PromptSchemas<I, O> | (() => Promise<PromptSchemas<I, O>>), template: (input: I) => Message[]): PromptFunction<I, O> {
  const prepared: PreparedPrompt<I, O> = {
    meta,
    schemas: typeof schemas === "function" ? null : schemas,
    load: typeof schemas === "function" ? schemas : () => Promise.resolve(schemas),
    loading: null,
    render: template,
    // Split at the first colon: provider names have none, model names may (`llama3.1:8b`).
    targets: meta.model.chain.map((ref) => ({ provider: ref.slice(0, ref.indexOf(":")), model: ref.slice(ref.indexOf(":") + 1) })),
    // Worked out on first use, not at import.
    strictSchema: undefined,
  };
  const runtimeOf = (options?: CallOptions): Runtime => options?.runtime ?? getRuntime();

  async function render(value: I): Promise<RenderedRequest> {
    const { prepareInput, schemasOf, strictSchemaOf } = await engine();
    const { messages } = prepareInput(prepared, await schemasOf(prepared), value);
    return {
      prompt: { id: meta.id, version: meta.version, hash: meta.hash },
      messages,
      models: prepared.targets,
      maxTokens: meta.model.maxTokens,
      temperature: meta.model.temperature,
      topP: meta.model.topP,
      stop: meta.model.stop,
      output: { format: meta.output.format, schema: meta.output.schema, strictSchema: strictSchemaOf(prepared), wrapped: meta.output.wrapped },
    };
  }
  const withRecord = (value: I, options?: CallOptions) => runtimeOf(options).call(prepared, value, options);
  const fn = async (value: I, options?: CallOptions): Promise<O> => (await withRecord(value, options)).output;
  const stream = (value: I, options?: StreamOptions) => runtimeOf(options).stream(prepared, value, options);
  // Parses a reply you already have (from logs, another client) the way a call would.
  const parse = async (text: string): Promise<O> => {
    const { readOutput, schemasOf } = await engine();
    const result = readOutput({ text, model: "", finishReason: "stop", usage: { inputTokens: 0, outputTokens: 0 } }, meta, (await schemasOf(prepared)).OutputSchema, false);
    if (!result.ok) throw new OutputParseError(meta, result.problem);
    return result.value;
  };
  // The jobs module loads on the first enqueue: importing prompts does not load SQLite or the queue.
  const enqueue = async (value: I, options?: EnqueueOptions): Promise<{ id: JobId<O> }> => {
    const { getJobs } = await import("./jobs/jobs.js");
    const { id } = await getJobs().enqueue(prompt, value, options);
    return { id };
  };
  const prompt: PromptFunction<I, O> = Object.assign(fn, { render, withRecord, stream, parse, enqueue, meta });
  return prompt;
}

/**
 * A prompt whose file declares `review:`. Its call returns the output only once it may be used:
 * `{ status: "approved", output }` when the condition did not ask for review, else
 * `{ status: "pending", reviewId }` until a person decides (`reviews.outcome(reviewId)`). It has
 * no `stream`: streaming would hand out the output before review.
 */
export interface ReviewedPromptFunction<I, O> {
  (input: I, options?: CallOptions): Promise<ReviewOutcome<O>>;
  /** The same call, with its record. */
  withRecord(input: I, options?: CallOptions): Promise<{ outcome: ReviewOutcome<O>; record: CallRecord }>;
  /** Reads a reply you already have into a validated output (not reviewed); rejects with OutputParseError. */
  parse(text: string): Promise<O>;
  render(input: I): Promise<RenderedRequest>;
  /** Queues the call as a job; a job whose output needs review waits in `awaiting_review` until it is decided. */
  enqueue(input: I, options?: EnqueueOptions): Promise<{ id: JobId<O> }>;
  /** Whether an output needs review: the file's `review.when`, compiled. */
  needsReview(input: I, output: O): boolean;
  readonly meta: PromptMeta;
}

/** How the jobs worker runs a reviewed prompt: the call itself, then the review it may need. Keyed by a registered symbol, so the jobs entry shares no module with this one. */
const REVIEW_HOOK = Symbol.for("promptc.review");

export interface ReviewHook<I, O> {
  withRecord(input: I, options?: CallOptions): Promise<{ output: O; record: CallRecord }>;
  /** Asks for a review when the condition says so; null when it does not. */
  ask(input: I, output: O, record: CallRecord, jobId: string | null): Promise<ReviewId<O> | null>;
}

/** What generated modules of prompts with `review:` call; `needsReview` is the compiled condition. */
export function defineReviewedPrompt<I, O>(
  meta: PromptMeta,
  schemas: PromptSchemas<I, O> | (() => Promise<PromptSchemas<I, O>>),
  template: (input: I) => Message[],
  needsReview: (input: I, output: O) => boolean,
): ReviewedPromptFunction<I, O> {
  if (!meta.policies.review) throw new TypeError(`prompt \`${meta.id}\` declares no review: use definePrompt`);
  const base = definePrompt(meta, schemas, template);
  const ask = async (input: I, output: O, record: CallRecord, jobId: string | null): Promise<ReviewId<O> | null> => {
    if (!needsReview(input, output)) return null;
    // The reviews module (and SQLite) loads on the first review, not at import.
    const [{ getReviews }, { messages }] = await Promise.all([import("./reviews/reviews.js"), base.render(input)]);
    return getReviews().ask<O>(meta, { input, messages, output, callId: record.callId, jobId });
  };
  const withRecord = async (input: I, options?: CallOptions): Promise<{ outcome: ReviewOutcome<O>; record: CallRecord }> => {
    const { output, record } = await base.withRecord(input, options);
    const reviewId = await ask(input, output, record, null);
    return { outcome: reviewId === null ? { status: "approved", output, reviewId: null } : { status: "pending", reviewId }, record };
  };
  const fn = async (input: I, options?: CallOptions): Promise<ReviewOutcome<O>> => (await withRecord(input, options)).outcome;
  const hook: ReviewHook<I, O> = { withRecord: base.withRecord, ask };
  return Object.assign(fn, { withRecord, parse: base.parse, render: base.render, enqueue: base.enqueue, needsReview, meta, [REVIEW_HOOK]: hook });
}
