// Policy blocks shared by prompt files and the config's `defaults:`. Enforced by the runtime.
import { z } from "zod";
import { Duration } from "./duration.js";

const RetryPolicy = z.strictObject({
  attempts: z.int().min(1).max(20).optional().describe("Attempts per model, the first call included"),
  timeout: Duration.optional().describe("Timeout of one attempt"),
  deadline: Duration.optional().describe("Deadline of the whole call, fallbacks included"),
  backoff: z.strictObject({
    initial: Duration.optional(),
    max: Duration.optional(),
    multiplier: z.number().min(1).max(10).optional(),
  }).optional().describe("Exponential backoff with full jitter between attempts"),
}).describe("Transport retries: 408, 409, 429, 5xx, connection errors and timeouts");

const InvalidOutputPolicy = z.strictObject({
  reask: z.int().min(0).max(10).describe("How many times to re-ask with the validation errors"),
}).describe("What to do when the model's output does not match the output schema");

const FallbackPolicy = z.union([
  z.literal("error").describe("Reject with a typed PromptError"),
  z.strictObject({ value: z.unknown().describe("A static output, checked against the output schema") }),
]).describe("What the caller gets when every model in the chain has failed");

const Usd = z.number().positive();
const BudgetPolicy = z.strictObject({
  per_call_usd: Usd.optional(),
  per_user_per_day_usd: Usd.optional(),
  per_feature_per_month_usd: Usd.optional(),
  per_prompt_per_day_usd: Usd.optional(),
  per_prompt_per_month_usd: Usd.optional(),
  feature: z.string().min(1).optional().describe("Feature name charged when the call does not give one"),
  alert_at: z.number().gt(0).max(1).optional().describe("Fraction of a budget that fires the alert callback"),
  on_exceeded: z.enum(["error", "fallback"]).optional(),
}).describe("Spend ceilings in US dollars");

const CachePolicy = z.union([
  z.literal(false),
  z.strictObject({
    ttl: Duration.describe("How long an entry lives"),
    semantic: z.union([z.boolean(), z.strictObject({ threshold: z.number().gt(0).max(1) })]).optional(),
  }),
]).describe("Response cache; only schema-valid outputs are stored");

const JobPolicy = z.strictObject({
  max_age: Duration.optional().describe("How long a queued job may wait out an outage before it ends as its call would (default 24h)"),
  on_outage: z.enum(["wait", "fallback"]).optional().describe("wait (default): requeue while every model fails transiently, until max_age; fallback: end at once, as a direct call would"),
}).describe("How the prompt's jobs (fn.enqueue) behave during an outage");

export const PolicyFields = {
  retry: RetryPolicy.optional(),
  on_invalid_output: InvalidOutputPolicy.optional(),
  fallback: FallbackPolicy.optional(),
  budget: BudgetPolicy.optional(),
  cache: CachePolicy.optional(),
  job: JobPolicy.optional(),
};
