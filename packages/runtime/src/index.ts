// @promptc/runtime: what generated prompt functions call.
export { definePrompt } from "./define-prompt.js";
export { toStrictJsonSchema } from "./openai-strict.js";
export { PromptError, InputValidationError, ProviderNotConfiguredError, type PromptErrorCode } from "./errors.js";
export type { CallOptions, JsonSchema, Message, ModelTarget, PromptFunction, PromptMeta, RenderedRequest, Role } from "./types.js";
export * as h from "./template-helpers.js";
