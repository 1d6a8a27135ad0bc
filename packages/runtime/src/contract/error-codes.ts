// The stable codes of the typed errors a caller can see (errors/prompt-errors.ts).
export type PromptErrorCode =
  | "E_INPUT_INVALID" // the input does not match the input schema; nothing was sent
  | "E_NO_PROVIDER" // no model of the chain has a configured provider
  | "E_ALL_MODELS_FAILED" // every model failed or is unavailable, and the prompt declares no fallback value
  | "E_OUTPUT_INVALID" // models answered, but never with a valid output, even after re-asks
  | "E_DEADLINE" // the call's deadline passed
  | "E_ABORTED" // the caller's signal aborted the call
  | "E_STREAM_FAILED" // a stream broke or stalled after content had been sent: no fallback then
  | "E_CONTEXT_OVERFLOW" // the input does not fit the context window of any model of the chain
  | "E_BUDGET_EXCEEDED" // the call would pass a budget; nothing more was sent
  | "E_STORE_UNAVAILABLE" // the budget store (Redis, SQLite) could not be reached; nothing more was sent
  | "E_PACKAGE_MISSING"; // a configured provider's SDK (an optional peer) is not installed; nothing was sent
