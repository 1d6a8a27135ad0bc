// @promptc/runtime: what generated prompt functions call.
export { definePrompt, defineReviewedPrompt, type ReviewedPromptFunction } from "./define-prompt.js";
// Only what importing generated prompts needs loads here; the call loop loads on the first call,
// and the parser and token counting have their own entry points (./parse, ./tokens).
export { configureRuntime, feedback, getRuntime, Runtime, type CallResult, type ProviderOverride, type RuntimeOptions } from "./runtime.js";
export type { PreparedPrompt, PromptSchemas } from "./contract/prepared.js";
export { AllModelsFailedError, BudgetExceededError, StoreUnavailableError, CallAbortedError, ContextOverflowError, InputValidationError, OutputParseError, PackageMissingError, PromptError, ProviderNotConfiguredError, StreamFailedError, type PromptErrorCode } from "./errors/prompt-errors.js";
export { JsonlFileSink, MemorySink } from "./records/sinks.js";
export type { AttemptOutcome, AttemptRecord, CallRecord, CallSink, FeedbackRecord } from "./contract/records.js";
export { TransportError, type TransportErrorKind } from "./errors/transport-error.js";
export { MissingPackageError } from "./pure/optional-package.js";
export { fromWire, outputName, travelsWrapped, WRAP_KEY, wireSchema } from "./pure/wire.js";
export { ModelBreakers, ModelUnavailableError, type BreakerOptions } from "./resilience/breakers.js";
export type { ProviderAdapter, ProviderRequest, ProviderResponse } from "./contract/provider.js";
export type { BudgetAlert } from "./budget/budgets.js";
export type { EnqueueOptions, JobError, JobId, JobInfo, JobStatus } from "./contract/jobs.js";
export type { ReviewDecision, ReviewId, ReviewItem, ReviewOutcome, ReviewStatus } from "./contract/reviews.js";
export type { BudgetPolicy, CallOptions, DeepPartial, JsonSchema, Message, ModelTarget, PromptFunction, PromptMeta, PromptStream, ProviderDeclaration, RenderedRequest, Role, StreamEvent, StreamOptions } from "./types.js";
export * as h from "./pure/template-helpers.js";
export { BUNDLED_PRICES, costUsd, priceOf, PriceTableError, validatePrices, worstInputRate, type BilledUsage, type ModelPrice, type PriceInput, type SourcedPrice } from "./cost/prices.js";
export { MODEL_SHUTDOWNS, SHUTDOWN_WARNING_DAYS, shutdownStatus, type ModelShutdown, type ShutdownStatus } from "./cost/lifecycle.js";
export * as schemaChecks from "./pure/schema-checks.js";
export { JOB_DEFAULTS } from "./pure/job-policy.js";
