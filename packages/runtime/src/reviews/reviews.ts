// Reviews: outputs a prompt's `review:` condition holds back until a person decides. A reviewed
// prompt's call (or job) asks for one and returns `{ status: "pending", reviewId }`; people
// decide on the page `promptc review` serves, or through `reviews.decide`; the app reads the
// outcome with `reviews.outcome(id)` or waits for it. Each decision is kept with the prompt's id,
// version and hash, the reviewer and the time, as evidence for the prompt's next version.
import { EventEmitter } from "node:events";
import { join, resolve } from "node:path";
import type { PromptMeta } from "../contract/prompt.js";
import type { ReviewDecision, ReviewId, ReviewItem, ReviewOutcome, ReviewStatus, ReviewStore, StoredReview } from "../contract/reviews.js";
import { pauseUntil } from "../pure/wake.js";
import { ReviewAlreadyDecidedError, ReviewEditInvalidError, ReviewWaitTimeoutError, UnknownReviewError } from "./review-errors.js";
import { SqliteReviewStore } from "./sqlite-review-store.js";

export interface ReviewsOptions {
  /** Where reviews live (default: the SQLite file PROMPTC_REVIEWS_DB, else .promptc/reviews.sqlite in the working directory). */
  store?: ReviewStore;
  /** The clock (tests). */
  now?: () => number;
}

/** What asking for a review needs of the call. */
export interface ReviewRequest {
  input: unknown;
  messages: readonly { role: string; content: string }[];
  output: unknown;
  callId: string;
  jobId?: string | null;
}

/** Where reviews live by default: PROMPTC_REVIEWS_DB (against `cwd`), else .promptc/reviews.sqlite in `cwd`. `promptc review` finds them the same way. */
export function reviewsPath(env: Record<string, string | undefined>, cwd: string): string {
  const named = env["PROMPTC_REVIEWS_DB"];
  return named ? resolve(cwd, named) : join(cwd, ".promptc", "reviews.sqlite");
}

/** Who decides when nobody did in time. */
export const TIMEOUT_REVIEWER = "promptc:timeout";

export class Reviews {
  readonly store: ReviewStore;
  readonly now: () => number;
  /** "decided" with the ReviewItem, for decisions made through this object. */
  readonly events = new EventEmitter().setMaxListeners(0);

  constructor(options: ReviewsOptions = {}) {
    this.store = options.store ?? new SqliteReviewStore(reviewsPath(process.env, process.cwd()));
    this.now = options.now ?? Date.now;
  }

  /** Holds an output for review (called by reviewed prompts and the jobs worker). */
  async ask<O>(meta: PromptMeta, request: ReviewRequest): Promise<ReviewId<O>> {
    const policy = meta.policies.review;
    if (!policy) throw new TypeError(`prompt \`${meta.id}\` declares no review:`);
    const id = globalThis.crypto.randomUUID();
    const now = this.now();
    const fallback = meta.policies.fallback.kind === "value" ? JSON.stringify(meta.policies.fallback.value) : null;
    await this.store.add({
      id, promptId: meta.id, version: meta.version, hash: meta.hash, when: policy.when,
      input: JSON.stringify(request.input), messages: JSON.stringify(request.messages), output: JSON.stringify(request.output),
      createdAt: now, expiresAt: now + policy.timeoutMs, onTimeout: policy.onTimeout, fallback,
      outputSchema: meta.output.schema ? JSON.stringify(meta.output.schema) : null, callId: request.callId, jobId: request.jobId ?? null,
    });
    return id as ReviewId<O>;
  }

  /** The review as it stands (a pending one past its timeout is ended by it first), or undefined. */
  async get<O>(id: ReviewId<O>): Promise<ReviewItem<O> | undefined> {
    const stored = await this.store.get(id);
    return stored && itemOf<O>(await this.expire(stored));
  }

  /** Reviews newest first (default 50), optionally of one status and one prompt. */
  async list(filter: { status?: ReviewStatus; promptId?: string; limit?: number } = {}): Promise<ReviewItem[]> {
    const rows = await this.store.list({ ...filter, limit: filter.limit ?? 50 });
    const items = await Promise.all(rows.map(async (r) => itemOf(await this.expire(r))));
    // A pending one that timed out just now is no longer pending.
    return filter.status ? items.filter((i) => i.status === filter.status) : items;
  }

  /**
   * Records a person's decision. An edit is validated against the prompt's output schema first
   * (ReviewEditInvalidError, nothing written); a review already decided, by someone else or by
   * its timeout, rejects with ReviewAlreadyDecidedError; an unknown id with UnknownReviewError.
   */
  async decide<O>(id: ReviewId<O>, decision: ReviewDecision<O>, reviewer: string): Promise<ReviewItem<O>> {
    if (typeof reviewer !== "string" || !reviewer.trim()) throw new TypeError("reviews.decide needs the reviewer's name: decisions are evidence, and evidence says who");
    const stored = await this.store.get(id);
    if (!stored) throw new UnknownReviewError(id);
    const current = await this.expire(stored);
    if (current.status !== "pending") throw new ReviewAlreadyDecidedError(id, current.status);
    let end: Parameters<ReviewStore["decide"]>[1];
    if ("approve" in decision && decision.approve === true) end = { status: "approved", decidedOutput: current.output, reason: null, reviewer };
    else if ("edit" in decision) {
      await checkEdit(id, current.outputSchema, decision.edit);
      end = { status: "edited", decidedOutput: JSON.stringify(decision.edit), reason: null, reviewer };
    } else if ("reject" in decision && typeof decision.reject === "string" && decision.reject.trim()) end = { status: "rejected", decidedOutput: null, reason: decision.reject, reviewer };
    else throw new TypeError("a decision is { approve: true }, { edit: output } or { reject: reason } (a reason that is not empty)");
    if (!(await this.store.decide(id, end, this.now()))) {
      const now = await this.store.get(id);
      throw new ReviewAlreadyDecidedError(id, now?.status ?? "pending");
    }
    const item = itemOf<O>((await this.store.get(id))!);
    this.events.emit("decided", item);
    return item;
  }

  /**
   * What the caller may use: `approved` with the output (approved, edited, or a timeout's fallback
   * value), `pending`, or `rejected` with the reason (also a timeout that rejects).
   */
  async outcome<O>(id: ReviewId<O>): Promise<ReviewOutcome<O> | { status: "rejected"; reviewId: ReviewId<O>; reason: string }> {
    const item = await this.get(id);
    if (!item) throw new UnknownReviewError(id);
    if (item.status === "pending") return { status: "pending", reviewId: id };
    if (item.decidedOutput !== undefined) return { status: "approved", output: item.decidedOutput, reviewId: id };
    return { status: "rejected", reviewId: id, reason: item.reason ?? "rejected" };
  }

  /** Waits until the review is decided (or times out) and returns it. Decisions in this process are seen at once; others within 250 ms. */
  async wait<O>(id: ReviewId<O>, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ReviewItem<O>> {
    const deadline = options.timeoutMs === undefined ? Infinity : this.now() + options.timeoutMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
      options.signal?.throwIfAborted();
      const item = await this.get(id);
      if (!item) throw new UnknownReviewError(id);
      if (item.status !== "pending") return item;
      const left = Math.min(deadline, Date.parse(item.expiresAt)) - this.now();
      if (deadline - this.now() <= 0) throw new ReviewWaitTimeoutError(id, options.timeoutMs!);
      await pauseUntil<ReviewItem>(this.events, "decided", (decided) => decided.id === id, Math.min(pause, left), options.signal);
    }
  }

  /** Ends a pending review whose timeout passed, as its prompt says: rejected, or the fallback value. */
  private async expire(r: StoredReview): Promise<StoredReview> {
    if (r.status !== "pending" || this.now() < r.expiresAt) return r;
    const fallback = r.onTimeout === "fallback" && r.fallback !== null;
    await this.store.decide(r.id, { status: "timed_out", decidedOutput: fallback ? r.fallback : null, reason: fallback ? null : "no decision before the review's timeout", reviewer: TIMEOUT_REVIEWER }, r.expiresAt);
    return (await this.store.get(r.id)) ?? r;
  }
}

/** Validates an edited output against the prompt's output JSON Schema (a text output must be text). */
async function checkEdit(id: string, schema: string | null, edited: unknown): Promise<void> {
  if (schema === null) {
    if (typeof edited !== "string") throw new ReviewEditInvalidError(id, [{ path: [], message: "the output is text: the edit must be a string" }]);
    return;
  }
  const { z } = await import("zod");
  if (typeof z.fromJSONSchema !== "function") throw new Error("checking an edited output needs zod 4.2 or later (z.fromJSONSchema): npm install zod@^4.2");
  const result = z.fromJSONSchema(JSON.parse(schema) as Parameters<typeof z.fromJSONSchema>[0]).safeParse(edited);
  if (!result.success) throw new ReviewEditInvalidError(id, result.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message })));
}

export function itemOf<O>(r: StoredReview): ReviewItem<O> {
  return {
    id: r.id as ReviewId<O>, promptId: r.promptId, version: r.version, hash: r.hash, status: r.status, when: r.when,
    input: JSON.parse(r.input), messages: JSON.parse(r.messages) as ReviewItem["messages"], output: JSON.parse(r.output) as O,
    ...(r.decidedOutput !== null ? { decidedOutput: JSON.parse(r.decidedOutput) as O } : {}),
    ...(r.reason !== null ? { reason: r.reason } : {}),
    reviewer: r.reviewer, decidedAt: r.decidedAt === null ? null : new Date(r.decidedAt).toISOString(),
    createdAt: new Date(r.createdAt).toISOString(), expiresAt: new Date(r.expiresAt).toISOString(),
    outputSchema: r.outputSchema === null ? null : (JSON.parse(r.outputSchema) as Record<string, unknown>), callId: r.callId, jobId: r.jobId,
  };
}

let current: Reviews | undefined;

/** Sets the reviews every reviewed prompt and the jobs worker use. */
export function configureReviews(options: ReviewsOptions = {}): Reviews {
  current = new Reviews(options);
  return current;
}

/** The reviews reviewed prompts use: configured, or the SQLite file in the working directory. */
export function getReviews(): Reviews {
  return (current ??= new Reviews());
}
