// Typed errors. Every failure a caller can see is a PromptError with a stable code, the
// prompt's identity and the attempts made, so logs and records trace to the prompt version.
import { keyHint } from "../pure/provider-env.js";
import type { AttemptRecord } from "../contract/records.js";
import type { PromptMeta } from "../contract/prompt.js";
import type { PromptErrorCode } from "../contract/error-codes.js";

export type { PromptErrorCode };
import { prettifyIssues } from "../pure/zod.js";


export class PromptError extends Error {
  readonly code: PromptErrorCode;
  readonly promptId: string;
  readonly version: number;
  readonly hash: string;
  /** Every attempt made, across models; empty when nothing was sent. */
  readonly attempts: readonly AttemptRecord[];
  readonly callId: string | undefined;
  constructor(code: PromptErrorCode, meta: PromptMeta, message: string, extra: { attempts?: readonly AttemptRecord[]; callId?: string; cause?: unknown } = {}) {
    super(`${meta.id}@${meta.version}: ${message}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = new.target.name;
    this.code = code;
    this.promptId = meta.id;
    this.version = meta.version;
    this.hash = meta.hash;
    this.attempts = extra.attempts ?? [];
    this.callId = extra.callId;
  }
}

/** The input did not match the prompt's input schema; nothing was sent. */
export class InputValidationError extends PromptError {
  readonly issues: readonly { path: PropertyKey[]; message: string }[];
  constructor(meta: PromptMeta, issues: readonly { path: PropertyKey[]; message: string }[]) {
    const text = prettifyIssues(issues as Parameters<typeof prettifyIssues>[0]);
    super("E_INPUT_INVALID", meta, `invalid input; nothing was sent\n${text}\nFix the input to match ${meta.source}.`);
    this.issues = issues;
  }
}

/** No model in the prompt's chain has a provider the runtime can reach. */
export class ProviderNotConfiguredError extends PromptError {
  constructor(meta: PromptMeta, attempts: readonly AttemptRecord[] = [], callId?: string) {
    const providers = [...new Set(meta.model.chain.map((m) => m.slice(0, m.indexOf(":"))))];
    const hints = providers.map((p) => keyHint(p, meta.model.providers[p]));
    super("E_NO_PROVIDER", meta,
      `no provider is configured for any model of the chain (${meta.model.chain.join(", ")}). ` +
      `Set ${[...new Set(hints)].join(" or ")}, or pass providers to configureRuntime(). To try it with no key, run \`npx promptc serve\` and set PROMPTC_LOCAL_URL as it says.`, { attempts, ...(callId ? { callId } : {}) });
  }
}

/** Every model failed; the attempts say how. */
export class AllModelsFailedError extends PromptError {
  constructor(meta: PromptMeta, code: "E_ALL_MODELS_FAILED" | "E_OUTPUT_INVALID" | "E_DEADLINE", attempts: readonly AttemptRecord[], callId: string) {
    const last = attempts.at(-1);
    const what = code === "E_DEADLINE" ? "the call's deadline passed" : code === "E_OUTPUT_INVALID" ? "no model produced a valid output, even after re-asks" : "every model of the chain failed";
    const detail = last ? `; last: ${last.provider}:${last.model} ${last.outcome}${last.errorKind ? ` (${last.errorKind}${last.status ? ` ${last.status}` : ""})` : ""}` : "";
    super(code, meta, `${what} after ${attempts.length} attempt${attempts.length === 1 ? "" : "s"}${detail}. Declare \`fallback: { value: … }\` in ${meta.source} to degrade instead.`, { attempts, callId });
  }
}

/** The caller's signal aborted the call. */
export class CallAbortedError extends PromptError {
  constructor(meta: PromptMeta, attempts: readonly AttemptRecord[], callId: string) {
    super("E_ABORTED", meta, "the call was aborted by the caller's signal", { attempts, callId });
  }
}

/** A stream failed after its first content chunk, when moving to another model is no longer allowed. */
export class StreamFailedError extends PromptError {
  constructor(meta: PromptMeta, reason: string, attempts: readonly AttemptRecord[], callId: string) {
    super("E_STREAM_FAILED", meta, `the stream failed after content had been sent (${reason}); no other model is tried once content has been sent`, { attempts, callId });
  }
}

/** The request does not fit the context window of any reachable model; nothing was sent. */
export class ContextOverflowError extends PromptError {
  constructor(meta: PromptMeta, attempts: readonly AttemptRecord[], callId: string) {
    const sizes = attempts.filter((a) => a.outcome === "context_overflow").map((a) => `${a.provider}:${a.model} needs ${a.inputTokens} + ${meta.model.maxTokens} tokens`);
    super("E_CONTEXT_OVERFLOW", meta, `the input is too large for every model of the chain (${sizes.join("; ")}); nothing was sent. Shorten the input, lower max_tokens, or add a fallback model with a larger window.`, { attempts, callId });
  }
}

/** fn.parse(text): the text holds no valid output. */
export class OutputParseError extends PromptError {
  readonly problem: string;
  constructor(meta: PromptMeta, problem: string) {
    super("E_OUTPUT_INVALID", meta, `the text holds no valid output\n${problem}`);
    this.problem = problem;
  }
}

/** The next attempt's worst case would pass a budget; it was not sent. */
export class BudgetExceededError extends PromptError {
  /** The budget: `per call`, or its key (`budget:user:ana:day:2026-11-22`). */
  readonly budget: string;
  readonly limitUsd: number;
  readonly spentUsd: number;
  constructor(meta: PromptMeta, budget: { key: string; limitUsd: number; spentUsd: number }, attempts: readonly AttemptRecord[], callId: string) {
    super("E_BUDGET_EXCEEDED", meta,
      `budget ${budget.key} (${budget.limitUsd} USD) has ${Math.max(0, budget.limitUsd - budget.spentUsd).toFixed(6)} USD left, less than the next attempt's worst case; nothing more was sent. ` +
      `Raise the budget in ${meta.source}, lower max_tokens, or declare \`budget.on_exceeded: fallback\` with a fallback value.`, { attempts, callId });
    this.budget = budget.key;
    this.limitUsd = budget.limitUsd;
    this.spentUsd = budget.spentUsd;
  }
}

/** The budget store could not be reached, so spend could not be reserved; nothing more was sent. */
export class StoreUnavailableError extends PromptError {
  constructor(meta: PromptMeta, cause: unknown, attempts: readonly AttemptRecord[], callId: string) {
    super("E_STORE_UNAVAILABLE", meta, `the budget store is unavailable (${cause instanceof Error ? cause.message : String(cause)}); no attempt is sent without a reservation. It retries on the next call; declare a fallback value to degrade instead.`, { attempts, callId, cause });
  }
}

/** A configured provider's SDK is not installed in the app; nothing was sent. */
export class PackageMissingError extends PromptError {
  readonly packageName: string;
  constructor(meta: PromptMeta, missing: { packageName: string; message: string }, attempts: readonly AttemptRecord[], callId: string) {
    super("E_PACKAGE_MISSING", meta, `${missing.message}. Nothing was sent.`, { attempts, callId, cause: missing });
    this.packageName = missing.packageName;
  }
}
