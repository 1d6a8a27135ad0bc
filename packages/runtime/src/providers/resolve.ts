// Which adapter a provider name gets: an override's adapter, or one built from settings (explicit
// values, then the environment), pointed at promptc's local server when every call goes there.
// The one rule for whether a provider can be reached at all lives here, for the runtime and the CLI.
import { anthropicAdapter } from "./anthropic.js";
import { openaiAdapter } from "./openai.js";
import { PROVIDER_ENV } from "../pure/provider-env.js";
import type { ProviderAdapter, ProviderSettings } from "../contract/provider.js";
import type { ProviderDeclaration } from "../contract/prompt.js";
import type { ProviderOverride } from "../contract/runtime.js";

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

export interface ResolveOptions {
  env: Record<string, string | undefined>;
  override?: ProviderOverride | undefined;
  /** promptc's local server, without a trailing slash: every provider goes there. */
  localServer?: string | undefined;
}

/**
 * The adapter for a provider, or null when it cannot be reached: reachable means a key, or a
 * server of the caller's choosing (an OpenAI-compatible base URL, or an override's base URL).
 */
export function resolveAdapter(name: string, declared: ProviderDeclaration | undefined, { env, override, localServer }: ResolveOptions): ProviderAdapter | null {
  if (override?.adapter) return override.adapter;
  const settings = providerSettings(name, declared ?? {}, env);
  if (override?.type) settings.type = override.type;
  if (override?.apiKey) settings.apiKey = override.apiKey;
  if (override?.baseURL) settings.baseURL = override.baseURL;
  if (localServer) Object.assign(settings, localServerSettings(settings.type, localServer));
  const reachable = !!settings.apiKey || (!!settings.baseURL && (settings.type === "openai-compatible" || !!override?.baseURL));
  return reachable ? createAdapter(settings) : null;
}

/** The local server's URL without a trailing slash, or undefined when unset. */
export function localServerURL(url: string | undefined): string | undefined {
  return url ? url.replace(/\/+$/, "") : undefined;
}

/** One runtime's adapters, resolved once per provider name. */
export class ProviderResolver {
  private readonly adapters = new Map<string, ProviderAdapter | null>();

  constructor(
    private readonly overrides: Readonly<Record<string, ProviderOverride>> | undefined,
    private readonly env: Record<string, string | undefined>,
    /** promptc's local server, when every call goes there. */
    readonly localServer: string | undefined,
  ) {}

  /** The adapter for `name` as the prompt declares it, or null when it cannot be reached. */
  adapterFor(name: string, declared: ProviderDeclaration | undefined): ProviderAdapter | null {
    let adapter = this.adapters.get(name);
    if (adapter === undefined) {
      adapter = resolveAdapter(name, declared, { env: this.env, override: this.overrides?.[name], localServer: this.localServer });
      this.adapters.set(name, adapter);
    }
    return adapter;
  }
}
