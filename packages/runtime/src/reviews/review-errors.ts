// What deciding or waiting for a review can fail with. Each says what to do.
import type { ReviewStatus } from "../contract/reviews.js";

/** No review has this id (never asked here, or in another store). */
export class UnknownReviewError extends Error {
  readonly code = "E_REVIEW_UNKNOWN";
  constructor(readonly reviewId: string) {
    super(`no review \`${reviewId}\`: was it asked in this store (configureReviews, PROMPTC_REVIEWS_DB)?`);
    this.name = "UnknownReviewError";
  }
}

/** The review was decided already (by another reviewer, or by its timeout); nothing was changed. */
export class ReviewAlreadyDecidedError extends Error {
  readonly code = "E_REVIEW_DECIDED";
  constructor(readonly reviewId: string, readonly status: ReviewStatus) {
    super(`review \`${reviewId}\` is already ${status}: a decision stands once made; reload the queue`);
    this.name = "ReviewAlreadyDecidedError";
  }
}

/** An edited output does not match the prompt's output schema; nothing was changed. */
export class ReviewEditInvalidError extends Error {
  readonly code = "E_REVIEW_EDIT_INVALID";
  constructor(readonly reviewId: string, readonly issues: { path: (string | number)[]; message: string }[]) {
    super(`the edited output of review \`${reviewId}\` does not match the output schema: ${issues.map((i) => `${i.path.length ? i.path.join(".") : "(output)"}: ${i.message}`).join("; ")}`);
    this.name = "ReviewEditInvalidError";
  }
}

/** `reviews.wait` gave up; the review stays pending. */
export class ReviewWaitTimeoutError extends Error {
  readonly code = "E_REVIEW_WAIT_TIMEOUT";
  constructor(readonly reviewId: string, timeoutMs: number) {
    super(`review \`${reviewId}\` is still pending after ${timeoutMs} ms; it stays pending: wait again, or decide it`);
    this.name = "ReviewWaitTimeoutError";
  }
}
