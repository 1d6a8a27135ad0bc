// Provider adapters: settings from the config and the environment → an adapter.
export { createAdapter, localServerSettings, providerSettings, ProviderResolver, resolveAdapter } from "./resolve.js";
export { MissingPackageError } from "../pure/optional-package.js";
export { TransportError, fromSdkError, retryAfterMs, redact, type TransportErrorKind } from "../errors/transport-error.js";
export type { FinishReason, OutputSpec, ProviderAdapter, ProviderRequest, ProviderResponse, ProviderSettings } from "../contract/provider.js";
export { anthropicToolProblems, toolFor, type AnthropicTool } from "./anthropic-tool.js";
export { TOOL_USE_SYSTEM_PROMPT_TOKENS } from "./tool-use-prompt.js";
export { OPENAI_STRICT_FORMATS, OPENAI_STRICT_UNSUPPORTED, toStrictJsonSchema } from "../pure/openai-strict.js";
