// Typed errors. Every failure a caller can see is a PromptError with a stable code and the
// prompt's identity, so logs and call records can be traced to the prompt version.
import { z } from "zod";
import type { PromptMeta } from "./types.js";

export type PromptErrorCode = "E_INPUT_INVALID" | "E_NO_PROVIDER";

export class PromptError extends Error {
  readonly code: PromptErrorCode;
  readonly promptId: string;
  readonly version: number;
  readonly hash: string;
  constructor(code: PromptErrorCode, meta: PromptMeta, message: string, options?: ErrorOptions) {
    super(`${meta.id}@${meta.version}: ${message}`, options);
    this.name = new.target.name;
    this.code = code;
    this.promptId = meta.id;
    this.version = meta.version;
    this.hash = meta.hash;
  }
}

/** The input did not match the prompt's input schema; nothing was sent. */
export class InputValidationError extends PromptError {
  readonly issues: z.core.$ZodIssue[];
  constructor(meta: PromptMeta, error: z.ZodError) {
    super("E_INPUT_INVALID", meta, `invalid input; nothing was sent\n${z.prettifyError(error)}\nFix the input to match ${meta.source}.`, { cause: error });
    this.issues = error.issues;
  }
}

/** No provider adapter is configured, so the call cannot be made. */
export class ProviderNotConfiguredError extends PromptError {
  constructor(meta: PromptMeta) {
    const first = meta.model.chain[0];
    super("E_NO_PROVIDER", meta,
      `no provider is configured in the runtime, so ${first ?? "no model"} cannot be called. ` +
      "This runtime version renders requests only: use fn.render(input) to get the exact messages and parameters.");
  }
}
