// Transport failures, classified for the retry loop: what happened, whether another attempt
// may succeed, and how long the provider asked us to wait.

export type TransportErrorKind =
  | "rate_limit" // 429
  | "timeout" // the attempt's time ran out
  | "connection" // refused, reset, DNS
  | "server" // 5xx, 408, 409, a reply that is not valid JSON
  | "overloaded" // 529
  | "auth" // 401, 403
  | "not_found" // 404: the model or the endpoint
  | "context_overflow" // the prompt does not fit the model's window
  | "bad_request" // other 4xx
  | "aborted"; // the caller's signal

const RETRYABLE: ReadonlySet<TransportErrorKind> = new Set(["rate_limit", "timeout", "connection", "server", "overloaded"]);

export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly status: number | undefined;
  /** From retry-after-ms or retry-after, when the provider sent one. */
  readonly retryAfterMs: number | undefined;
  readonly provider: string;
  readonly model: string;
  constructor(init: { kind: TransportErrorKind; message: string; provider: string; model: string; status?: number | undefined; retryAfterMs?: number | undefined }) {
    super(`${init.provider}:${init.model}: ${init.message}`);
    this.name = "TransportError";
    this.kind = init.kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.provider = init.provider;
    this.model = init.model;
  }

  /** Whether another attempt may succeed: never for 400, 401, 403 or 404. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** retry-after-ms (milliseconds), else retry-after (seconds, or an HTTP date). */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(after.trim())) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function kindForStatus(status: number, message: string): TransportErrorKind {
  if (status === 429) return "rate_limit";
  if (status === 529) return "overloaded";
  if (status === 408 || status === 409 || status >= 500) return "server";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (/context.length|maximum context|prompt is too long|too many tokens/i.test(message)) return "context_overflow";
  return "bad_request";
}

interface SdkErrorShape {
  name?: string;
  status?: number;
  headers?: { get(name: string): string | null };
  error?: unknown;
  message?: string;
}

/**
 * Maps an error thrown by the openai or @anthropic-ai/sdk client to a TransportError. The SDK
 * error is not kept as `cause`: its message can hold a masked API key (OpenAI's 401 does).
 */
export function fromSdkError(e: unknown, provider: string, model: string, signal?: AbortSignal, apiKey?: string): TransportError {
  if (e instanceof TransportError) return e;
  const err = (e ?? {}) as SdkErrorShape;
  // The SDKs' error classes do not all set `name` (openai 6's APIConnectionError is "Error").
  const ctor = (e as { constructor?: { name?: string } } | null)?.constructor?.name;
  const name = ctor && ctor !== "Error" && ctor !== "Object" ? ctor : (err.name ?? "");
  if (signal?.aborted || name === "APIUserAbortError" || name === "AbortError") {
    const reason = signal?.reason;
    const timedOut = reason instanceof Error && reason.name === "TimeoutError";
    return new TransportError({ kind: timedOut ? "timeout" : "aborted", message: timedOut ? "the attempt timed out" : "the call was aborted", provider, model });
  }
  if (name === "APIConnectionTimeoutError") return new TransportError({ kind: "timeout", message: "the attempt timed out", provider, model });
  if (name === "APIConnectionError") return new TransportError({ kind: "connection", message: "could not connect", provider, model });
  if (typeof err.status === "number") {
    const detail = redact(providerMessage(err.error) ?? `HTTP ${err.status}`, apiKey);
    return new TransportError({ kind: kindForStatus(err.status, detail), status: err.status, message: `HTTP ${err.status}: ${detail}`, retryAfterMs: retryAfterMs(err.headers), provider, model });
  }
  // A body that is not JSON, or one the SDK could not read: a broken reply, worth another try.
  return new TransportError({ kind: "server", message: `unreadable reply: ${redact(err.message ?? String(e), apiKey)}`, provider, model });
}

/** The provider's own error message from an error body (OpenAI or Anthropic shape). */
function providerMessage(body: unknown): string | undefined {
  const b = body as { message?: unknown; error?: { message?: unknown } } | undefined;
  const m = b?.error?.message ?? b?.message;
  return typeof m === "string" ? m.slice(0, 500) : undefined;
}

/** Removes the key itself and anything shaped like a provider key (sk-…, sk-ant-…, masked or not). */
export function redact(text: string, apiKey?: string): string {
  let out = apiKey && apiKey.length >= 8 ? text.split(apiKey).join("[redacted]") : text;
  out = out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.\-]{4,}/g, "[redacted key]");
  return out;
}
