// When models shut down, and what to move to. `promptc build` and `promptc check` warn when a
// chain names a model that shuts down within SHUTDOWN_WARNING_DAYS and fail once it has: a
// request to a shut-down model fails at the API on every call.
import { baseModel } from "./prices.js";

export interface ModelShutdown {
  /** YYYY-MM-DD: the day requests start to fail. */
  readonly on: string;
  /** False when the source says the model is shut down without giving the day: `on` is then the day it was known to be. */
  readonly exact: boolean;
  /** `provider:model` to consider instead. */
  readonly replacement: string;
  readonly source: string;
}

const OPENAI_DEPRECATIONS = "https://platform.openai.com/docs/deprecations";
const ANTHROPIC_DEPRECATIONS = "https://docs.anthropic.com/en/docs/about-claude/model-deprecations";

/** By `provider:model`, as in the price table. */
export const MODEL_SHUTDOWNS: Readonly<Record<string, ModelShutdown>> = {
  "openai:gpt-5": { on: "2026-12-11", exact: true, replacement: "openai:gpt-5.4", source: OPENAI_DEPRECATIONS },
  "openai:gpt-5-mini": { on: "2026-12-11", exact: true, replacement: "openai:gpt-5.4-mini", source: OPENAI_DEPRECATIONS },
  "openai:gpt-5-nano": { on: "2026-12-11", exact: true, replacement: "openai:gpt-5.4-nano", source: OPENAI_DEPRECATIONS },
  "openai:o3": { on: "2026-12-11", exact: true, replacement: "openai:gpt-5.4", source: OPENAI_DEPRECATIONS },
  "openai:o4-mini": { on: "2026-12-03", exact: false, replacement: "openai:gpt-5.4-mini", source: OPENAI_DEPRECATIONS },
  "openai:gpt-4.1-nano": { on: "2026-12-03", exact: false, replacement: "openai:gpt-5.4-nano", source: OPENAI_DEPRECATIONS },
  "anthropic:claude-sonnet-4": { on: "2026-06-15", exact: true, replacement: "anthropic:claude-sonnet-4-6", source: ANTHROPIC_DEPRECATIONS },
  "anthropic:claude-opus-4": { on: "2026-06-15", exact: true, replacement: "anthropic:claude-opus-4-7", source: ANTHROPIC_DEPRECATIONS },
  "anthropic:claude-opus-4-1": { on: "2026-08-05", exact: true, replacement: "anthropic:claude-opus-4-7", source: ANTHROPIC_DEPRECATIONS },
  "anthropic:claude-sonnet-4-5": { on: "2026-12-03", exact: false, replacement: "anthropic:claude-sonnet-4-6", source: ANTHROPIC_DEPRECATIONS },
};

export const SHUTDOWN_WARNING_DAYS = 30;

export type ShutdownStatus =
  | { state: "shut-down"; model: string; shutdown: ModelShutdown }
  | { state: "shutting-down"; model: string; shutdown: ModelShutdown; daysLeft: number };

const DAY_MS = 86_400_000;

/**
 * Whether a model has shut down or shuts down within SHUTDOWN_WARNING_DAYS of `now` (UTC days);
 * undefined for one with no announced shutdown in that window. Aliases (`claude-opus-4-0`) and
 * dated names (`claude-sonnet-4-20250514`) find their model.
 */
export function shutdownStatus(provider: string, model: string, now: Date): ShutdownStatus | undefined {
  const base = baseModel(model).replace(/-0$/, "");
  const name = [`${provider}:${model}`, `${provider}:${base}`].find((n) => MODEL_SHUTDOWNS[n]);
  if (!name) return undefined;
  const shutdown = MODEL_SHUTDOWNS[name]!;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const daysLeft = Math.round((Date.parse(`${shutdown.on}T00:00:00Z`) - today) / DAY_MS);
  if (daysLeft <= 0) return { state: "shut-down", model: name, shutdown };
  return daysLeft <= SHUTDOWN_WARNING_DAYS ? { state: "shutting-down", model: name, shutdown, daysLeft } : undefined;
}
