// The review store the review commands read (promptc review, promptc stats --reviews), found by
// the runtime's own rule.
import type { Reviews } from "@promptc/runtime/reviews";
import { pathFrom, type Io } from "./io.js";

/** The review store: --db, else the runtime's own rule (PROMPTC_REVIEWS_DB, else .promptc/reviews.sqlite here). */
export async function reviewsPath(io: Io, db: string | undefined): Promise<string> {
  if (db !== undefined) return pathFrom(io, db);
  return (await import("@promptc/runtime/reviews")).reviewsPath(io.env, io.cwd);
}

export async function openReviews(path: string): Promise<Reviews> {
  const { Reviews, SqliteReviewStore } = await import("@promptc/runtime/reviews");
  return new Reviews({ store: new SqliteReviewStore(path) });
}
