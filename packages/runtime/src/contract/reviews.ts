// Human review: an output a prompt's `review:` condition holds back until a person approves,
// edits or rejects it. Types only.

/** A review id that remembers the output type of its prompt. */
export type ReviewId<O = unknown> = string & { readonly __output?: O };

/**
 * What a reviewed prompt's call returns: the output only once it may be used. "approved" when
 * the condition did not ask for review (reviewId null) or a person approved or edited it.
 */
export type ReviewOutcome<O> = { status: "approved"; output: O; reviewId: ReviewId<O> | null } | { status: "pending"; reviewId: ReviewId<O> };

/** pending, then: approved, edited (approved with a person's output), rejected, or timed_out (its `timeout` passed). */
export type ReviewStatus = "pending" | "approved" | "edited" | "rejected" | "timed_out";

/** A person's decision: `{ approve: true }`, `{ edit: output }` (validated against the output schema) or `{ reject: reason }`. */
export type ReviewDecision<O = unknown> = { approve: true } | { edit: O } | { reject: string };

export interface ReviewItem<O = unknown> {
  id: ReviewId<O>;
  promptId: string;
  version: number;
  hash: string;
  status: ReviewStatus;
  /** The condition that asked for review (`always`, or its text). */
  when: string;
  input: unknown;
  /** The messages the model was sent. */
  messages: { role: string; content: string }[];
  /** The model's output, as the condition saw it. */
  output: O;
  /** What the caller gets: the approved or edited output, or the fallback value after a timeout; absent while pending or when rejected. */
  decidedOutput?: O;
  /** A rejection's reason. */
  reason?: string;
  reviewer: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** When it times out, if still pending. */
  expiresAt: string;
  /** The prompt's output JSON Schema (null for text), for editing and checking an edit. */
  outputSchema: Record<string, unknown> | null;
  /** The call that produced it, and the job it belongs to, if any. */
  callId: string;
  jobId: string | null;
}

/** A review as a store keeps it: values as JSON text, times as epoch milliseconds. */
export interface StoredReview {
  id: string;
  promptId: string;
  version: number;
  hash: string;
  status: ReviewStatus;
  when: string;
  input: string;
  messages: string;
  output: string;
  decidedOutput: string | null;
  reason: string | null;
  reviewer: string | null;
  decidedAt: number | null;
  createdAt: number;
  expiresAt: number;
  /** What a timeout ends it as: rejected, or the prompt's fallback value (as JSON). */
  onTimeout: "reject" | "fallback";
  fallback: string | null;
  outputSchema: string | null;
  callId: string;
  jobId: string | null;
}

export type NewReview = Omit<StoredReview, "status" | "decidedOutput" | "reason" | "reviewer" | "decidedAt">;

export interface ReviewStore {
  add(review: NewReview): Promise<void>;
  get(id: string): Promise<StoredReview | undefined>;
  /** Newest first, optionally of one status and one prompt. */
  list(filter: { status?: ReviewStatus; promptId?: string; limit: number }): Promise<StoredReview[]>;
  /** Records a decision on a pending review, atomically; false (nothing written) when it is no longer pending. */
  decide(id: string, end: { status: Exclude<ReviewStatus, "pending">; decidedOutput: string | null; reason: string | null; reviewer: string }, now: number): Promise<boolean>;
  close(): Promise<void>;
}
