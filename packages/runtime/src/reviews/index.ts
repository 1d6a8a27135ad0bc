// @promptc/runtime/reviews: outputs held back for a person's decision (a prompt's \`review:\`), and
// the store they wait in (a SQLite file by default) shared with the page \`promptc review\` serves.
export { configureReviews, getReviews, Reviews, reviewsPath, TIMEOUT_REVIEWER, type ReviewRequest, type ReviewsOptions } from "./reviews.js";
export { SqliteReviewStore } from "./sqlite-review-store.js";
export { ReviewAlreadyDecidedError, ReviewEditInvalidError, ReviewWaitTimeoutError, UnknownReviewError } from "./review-errors.js";
export type { NewReview, ReviewDecision, ReviewId, ReviewItem, ReviewOutcome, ReviewStatus, ReviewStore, StoredReview } from "../contract/reviews.js";
