// Reviews: a reviewed prompt holds back the outputs its condition names; decisions (approve,
// edit, reject), their typed refusals, timeouts, and jobs that wait in awaiting_review.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type { PromptMeta } from "../contract/prompt.js";
import type { ReviewId, ReviewOutcome } from "../contract/reviews.js";
import { defineReviewedPrompt } from "../define-prompt.js";
import { Jobs } from "../jobs/jobs.js";
import { BullMqJobStore } from "../jobs/bullmq-job-store.js";
import { SqliteJobStore } from "../jobs/sqlite-job-store.js";
import { redisForTests, sharedRedis, type RedisServer } from "../testing/redis-server.js";
import { startWorker } from "../jobs/worker.js";
import { Runtime } from "../runtime.js";
import { startMockServer, type MockServer } from "../testing/server.js";
import { ReviewAlreadyDecidedError, ReviewEditInvalidError, ReviewWaitTimeoutError, UnknownReviewError } from "./review-errors.js";
import { configureReviews, Reviews, TIMEOUT_REVIEWER } from "./reviews.js";
import { SqliteReviewStore } from "./sqlite-review-store.js";

const dir = mkdtempSync(join(tmpdir(), "promptc-reviews-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const path = () => join(dir, `r${n++}.sqlite`);
// Jobs of reviewed prompts run on both job stores; BullMQ on a real Redis (CI starts one).
const withRedis = redisForTests();
let started: RedisServer | undefined;
const redis = async () => (started ??= await sharedRedis());
afterAll(() => started?.kill());

const Output = z.object({ decision: z.enum(["refund", "deny"]), amount_usd: z.number().min(0), confidence: z.number() });
type Out = z.output<typeof Output>;
const schema = z.toJSONSchema(Output) as Record<string, unknown>;
const meta = (review: Partial<NonNullable<PromptMeta["policies"]["review"]>> = {}): PromptMeta => ({
  id: "t/refund", version: 3, hash: "sha256:00000000000000ee", source: "prompts/t/refund.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 50, temperature: 0, topP: null, stop: null },
  output: { format: "json", schema, strict: false, wrapped: false },
  policies: {
    retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0,
    fallback: { kind: "value", value: { decision: "deny", amount_usd: 0, confidence: 0 } }, budget: null, cache: null,
    review: { when: "output.confidence < 0.8", timeoutMs: 60_000, onTimeout: "reject", ...review },
  },
});
const reviewed = (m = meta()) =>
  defineReviewedPrompt<{ ticket: string }, Out>(m, { InputSchema: z.object({ ticket: z.string() }), OutputSchema: Output }, (i) => [{ role: "user", content: `Ticket: ${i.ticket}` }], (_i, o) => o.confidence < 0.8);

describe("reviews", () => {
  let server: MockServer;
  let runtime: Runtime;
  let reviews: Reviews;
  let clock = 1_000_000;
  beforeEach(async () => {
    server = await startMockServer({ handler: (r) => ({ json: (r.body["messages"] as { content: string }[])[0]!.content.includes("unsure") ? { decision: "refund", amount_usd: 40, confidence: 0.5 } : { decision: "refund", amount_usd: 40, confidence: 0.95 } }) });
    runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL } } });
    clock = 1_000_000;
    reviews = configureReviews({ store: new SqliteReviewStore(path()), now: () => clock });
  });
  afterEach(async () => {
    await reviews.store.close();
    await server.close();
    configureReviews({ store: new SqliteReviewStore(join(dir, "unused.sqlite")) }); // no configured store left closed
  });

  it("approves at once what the condition lets through, and holds back the rest as a typed pending outcome", async () => {
    const fn = reviewed();
    const sure = await fn({ ticket: "sure" }, { runtime });
    expectTypeOf(sure).toEqualTypeOf<ReviewOutcome<Out>>();
    expect(sure).toEqual({ status: "approved", output: { decision: "refund", amount_usd: 40, confidence: 0.95 }, reviewId: null });
    const { outcome, record } = await fn.withRecord({ ticket: "unsure" }, { runtime });
    expect(outcome.status).toBe("pending");
    if (outcome.status !== "pending") return;
    expectTypeOf(outcome.reviewId).toEqualTypeOf<ReviewId<Out>>();
    expect(await reviews.get(outcome.reviewId)).toMatchObject({
      status: "pending", promptId: "t/refund", version: 3, hash: "sha256:00000000000000ee", when: "output.confidence < 0.8",
      input: { ticket: "unsure" }, messages: [{ role: "user", content: "Ticket: unsure" }], output: { confidence: 0.5 }, outputSchema: schema,
      callId: record.callId, jobId: null, reviewer: null, createdAt: new Date(1_000_000).toISOString(), expiresAt: new Date(1_060_000).toISOString(),
    });
    expect(await reviews.outcome(outcome.reviewId)).toEqual({ status: "pending", reviewId: outcome.reviewId });
    expect(await reviews.list({ status: "pending" })).toHaveLength(1);
  });

  it("records who approved, edited or rejected, and when; the caller gets the approved or edited output", async () => {
    const fn = reviewed();
    const ask = async () => {
      const o = await fn({ ticket: "unsure" }, { runtime });
      return (o as { reviewId: ReviewId<Out> }).reviewId;
    };
    const [a, e, r] = [await ask(), await ask(), await ask()];
    clock += 500;
    expect(await reviews.decide(a, { approve: true }, "ana")).toMatchObject({ status: "approved", reviewer: "ana", decidedAt: new Date(1_000_500).toISOString(), decidedOutput: { amount_usd: 40 } });
    expect(await reviews.decide(e, { edit: { decision: "refund", amount_usd: 20, confidence: 1 } }, "bo")).toMatchObject({ status: "edited", decidedOutput: { amount_usd: 20 }, output: { amount_usd: 40 } });
    expect(await reviews.decide(r, { reject: "not within the 30 days" }, "cy")).toMatchObject({ status: "rejected", reason: "not within the 30 days" });
    expect(await reviews.outcome(a)).toEqual({ status: "approved", output: { decision: "refund", amount_usd: 40, confidence: 0.5 }, reviewId: a });
    expect(await reviews.outcome(e)).toMatchObject({ status: "approved", output: { amount_usd: 20 } });
    expect(await reviews.outcome(r)).toEqual({ status: "rejected", reviewId: r, reason: "not within the 30 days" });
  });

  it("refuses, typed and writing nothing: an unknown id, a second decision, an edit the schema rejects, a decision without a reviewer", async () => {
    const o = await reviewed()({ ticket: "unsure" }, { runtime });
    const id = (o as { reviewId: ReviewId<Out> }).reviewId;
    await expect(reviews.decide("nope" as ReviewId<Out>, { approve: true }, "ana")).rejects.toBeInstanceOf(UnknownReviewError);
    const bad = await reviews.decide(id, { edit: { decision: "maybe", amount_usd: -1, confidence: 1 } as unknown as Out }, "ana").catch((x: unknown) => x);
    expect(bad).toBeInstanceOf(ReviewEditInvalidError);
    expect((bad as ReviewEditInvalidError).issues.map((i) => i.path.join("."))).toEqual(["decision", "amount_usd"]);
    expect((bad as Error).message).toMatch(/does not match the output schema: decision: .*; amount_usd: /);
    await expect(reviews.decide(id, { approve: true }, " ")).rejects.toThrow(/needs the reviewer's name/);
    await expect(reviews.decide(id, { reject: "" }, "ana")).rejects.toThrow(/a reason that is not empty/);
    expect(await reviews.get(id)).toMatchObject({ status: "pending", reviewer: null });
    await reviews.decide(id, { approve: true }, "ana");
    const again = await reviews.decide(id, { reject: "changed my mind" }, "bo").catch((x: unknown) => x);
    expect(again).toBeInstanceOf(ReviewAlreadyDecidedError);
    expect(await reviews.get(id)).toMatchObject({ status: "approved", reviewer: "ana" });
  });

  it("ends a review nobody decided in time as its prompt says: rejected, or the fallback value", async () => {
    const rejecting = await reviewed()({ ticket: "unsure" }, { runtime });
    const falling = await reviewed(meta({ onTimeout: "fallback" }))({ ticket: "unsure" }, { runtime });
    clock += 60_000;
    const r = (rejecting as { reviewId: ReviewId<Out> }).reviewId;
    const f = (falling as { reviewId: ReviewId<Out> }).reviewId;
    expect(await reviews.get(r)).toMatchObject({ status: "timed_out", reviewer: TIMEOUT_REVIEWER });
    expect(await reviews.outcome(r)).toMatchObject({ status: "rejected", reason: "no decision before the review's timeout" });
    expect(await reviews.outcome(f)).toMatchObject({ status: "approved", output: { decision: "deny", amount_usd: 0 } });
    await expect(reviews.decide(f, { approve: true }, "late")).rejects.toBeInstanceOf(ReviewAlreadyDecidedError);
  });

  it("wait resolves when the review is decided, and gives up typed", async () => {
    const real = configureReviews({ store: new SqliteReviewStore(path()) }); // real time for wait
    try {
      const o = await reviewed()({ ticket: "unsure" }, { runtime });
      const id = (o as { reviewId: ReviewId<Out> }).reviewId;
      await expect(real.wait(id, { timeoutMs: 10 })).rejects.toBeInstanceOf(ReviewWaitTimeoutError);
      const waiting = real.wait(id);
      await real.decide(id, { approve: true }, "ana");
      expect(await waiting).toMatchObject({ status: "approved" });
    } finally {
      await real.store.close();
    }
  });

  it.each(withRedis ? (["sqlite", "bullmq"] as const) : (["sqlite"] as const))("a job whose output needs review waits in awaiting_review, then ends as the review did (%s jobs)", async (backend) => {
    const store = backend === "sqlite" ? new SqliteJobStore(path()) : new BullMqJobStore((await redis())!.url, { prefix: `pcreview${process.pid}x${n++}`, stalledCheckMs: 100 });
    const jobs = new Jobs({ store, reviews });
    const fn = reviewed();
    const worker = startWorker({ prompts: [fn], jobs, runtime, pollMs: 10 });
    try {
      const [a, b, sure] = await Promise.all(["unsure a", "unsure b", "sure"].map(async (t) => (await jobs.enqueue(fn, { ticket: t })).id));
      expect(await jobs.wait(sure)).toMatchObject({ status: "succeeded", output: { confidence: 0.95 } });
      let pending: { reviewId?: string } = {};
      await expect.poll(async () => (pending = (await jobs.get(a))!).status, { timeout: 5000 }).toBe("awaiting_review");
      await expect.poll(async () => (await jobs.get(b))!.status, { timeout: 5000 }).toBe("awaiting_review");
      expect(pending).not.toHaveProperty("output");
      const held = await reviews.get(pending.reviewId as ReviewId<Out>);
      expect(held).toMatchObject({ jobId: a, status: "pending" });
      expect((await jobs.list({ status: "awaiting_review" })).map((j) => j.id).sort()).toEqual([a, b].sort());
      await reviews.decide(pending.reviewId as ReviewId<Out>, { edit: { decision: "deny", amount_usd: 0, confidence: 1 } }, "ana");
      expect(await jobs.wait(a)).toMatchObject({ status: "succeeded", output: { decision: "deny" } });
      await reviews.decide((await jobs.get(b))!.reviewId as ReviewId<Out>, { reject: "fraud" }, "ana");
      expect(await jobs.wait(b)).toMatchObject({ status: "failed", error: { code: "E_REVIEW_REJECTED", message: "a reviewer rejected the output: fraud" } });
      expect((await jobs.list({ status: "failed" })).map((j) => j.id)).toEqual([b]);
    } finally {
      await worker.stop();
      await jobs.store.close();
    }
  });
});
