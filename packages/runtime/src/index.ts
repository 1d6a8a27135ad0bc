// @promptc/runtime: what generated prompt functions call.
export { definePrompt } from "./define-prompt.js";
export { configureRuntime, getRuntime, Runtime, type CallResult, type PreparedPrompt, type ProviderOverride, type RuntimeOptions } from "./runtime.js";
export { toStrictJsonSchema } from "./openai-strict.js";
export { AllModelsFailedError, CallAbortedError, ContextOverflowError, InputValidationError, OutputParseError, PromptError, ProviderNotConfiguredError, StreamFailedError, type PromptErrorCode } from "./errors.js";
export { JsonlFileSink, MemorySink, type AttemptOutcome, type AttemptRecord, type CallRecord, type CallSink } from "./call/records.js";
export { TransportError, type TransportErrorKind } from "./providers/transport-error.js";
export type { ProviderAdapter, ProviderRequest, ProviderResponse } from "./providers/types.js";
export type { CallOptions, DeepPartial, JsonSchema, Message, ModelTarget, PromptFunction, PromptMeta, PromptStream, ProviderDeclaration, RenderedRequest, Role, StreamEvent, StreamOptions } from "./types.js";
export * as h from "./template-helpers.js";
export { contextWindow } from "./tokens/windows.js";
export { countOpenAI, estimate as estimateTokens, upperBound as tokenUpperBound } from "./tokens/count.js";
export { parseLenient, type LenientResult } from "./parse/index.js";
