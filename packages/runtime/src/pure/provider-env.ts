// The environment variables each built-in provider reads, in one place: the settings resolver,
// the "set X" hint of E_NO_PROVIDER and the OpenAI embedder all take them from here.
import type { ProviderDeclaration } from "../contract/prompt.js";

export const PROVIDER_ENV = {
  openai: { key: "OPENAI_API_KEY", url: "OPENAI_BASE_URL" },
  anthropic: { key: "ANTHROPIC_API_KEY", url: "ANTHROPIC_BASE_URL" },
} as const;

/** What to set so that the provider of this name can be reached: its key variable, or a base_url. */
export function keyHint(name: string, declared: ProviderDeclaration | undefined): string {
  if (name === "openai" || name === "anthropic") return PROVIDER_ENV[name].key;
  return declared?.api_key_env ?? `a base_url for ${name}`;
}
