// Provider adapters: settings from the config and the environment → an adapter.
import { anthropicAdapter } from "./anthropic.js";
import { openaiAdapter } from "./openai.js";
import { PROVIDER_ENV } from "./env.js";
import type { ProviderAdapter, ProviderSettings } from "./types.js";

export function createAdapter(settings: ProviderSettings): ProviderAdapter {
  return settings.type === "anthropic" ? anthropicAdapter(settings) : openaiAdapter(settings);
}


/**
 * Settings for a provider: explicit values first, then the environment (OPENAI_API_KEY,
 * OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, or the config's `api_key_env`).
 */
export function providerSettings(
  name: string,
  declared: { type?: ProviderSettings["type"]; base_url?: string; api_key_env?: string } = {},
  env: Record<string, string | undefined> = process.env,
): ProviderSettings {
  const type = declared.type ?? (name === "anthropic" ? "anthropic" : "openai");
  const vars = type === "anthropic" ? PROVIDER_ENV.anthropic : type === "openai" ? PROVIDER_ENV.openai : undefined;
  const apiKey = declared.api_key_env ? env[declared.api_key_env] : vars ? env[vars.key] : undefined;
  const baseURL = declared.base_url ?? (vars ? env[vars.url] : undefined);
  return { name, type, apiKey: apiKey || undefined, baseURL: baseURL || undefined };
}

/** Where a provider of this type reaches promptc's local server (`promptc serve`), which needs no key. */
export function localServerSettings(type: ProviderSettings["type"], url: string): { baseURL: string; apiKey: string } {
  return { baseURL: type === "anthropic" ? url : `${url}/v1`, apiKey: "local-server" };
}

export { MissingPackageError } from "../optional-package.js";
export { TransportError, fromSdkError, retryAfterMs, redact, type TransportErrorKind } from "./transport-error.js";
export type { FinishReason, OutputSpec, ProviderAdapter, ProviderRequest, ProviderResponse, ProviderSettings } from "./types.js";
export { anthropicToolProblems, toolFor, type AnthropicTool } from "./anthropic-tool.js";
export { TOOL_USE_SYSTEM_PROMPT_TOKENS } from "./tool-use-prompt.js";
export { OPENAI_STRICT_FORMATS, OPENAI_STRICT_UNSUPPORTED, toStrictJsonSchema } from "../openai-strict.js";
