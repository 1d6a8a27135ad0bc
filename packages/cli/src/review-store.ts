// The review store the review commands read (promptc review, promptc stats --reviews), found by
// the runtime's own rule.
import { join } from "node:path";
import type { Reviews } from "@promptc/runtime/reviews";
import { pathFrom, type Io } from "./io.js";

/** The review store by the runtime's rule: --db, else PROMPTC_REVIEWS_DB, else .promptc/reviews.sqlite here. */
export function reviewsPath(io: Io, db: string | undefined): string {
  return db !== undefined ? pathFrom(io, db) : io.env["PROMPTC_REVIEWS_DB"] ? pathFrom(io, io.env["PROMPTC_REVIEWS_DB"]) : join(io.cwd, ".promptc", "reviews.sqlite");
}

export async function openReviews(path: string): Promise<Reviews> {
  const { Reviews, SqliteReviewStore } = await import("@promptc/runtime/reviews");
  return new Reviews({ store: new SqliteReviewStore(path) });
}
