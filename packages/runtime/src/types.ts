// The public types of @promptc/runtime in one place: the contract's, and the three that name a
// class of a higher layer (CallOptions and StreamOptions name Runtime; PromptFunction is what
// definePrompt returns).
export type { BudgetPolicy, DeepPartial, JsonSchema, Message, ModelTarget, PromptMeta, PromptStream, ProviderDeclaration, RenderedRequest, Role, StreamEvent } from "./contract/prompt.js";
export type { CallOptions, StreamOptions } from "./runtime.js";
export type { PromptFunction } from "./define-prompt.js";
