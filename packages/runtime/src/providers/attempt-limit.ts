// One attempt's time limit and the caller's abort, for an adapter that reads replies itself.
// One timer from the start of the attempt covers both the request (up to the headers) and the
// body: the SDKs' own `timeout` starts later (after they prepare the request) and ends once the
// headers arrive, so a reply that stalls mid-body would hold the attempt, and its connection,
// for as long as the server likes. The SDK's `timeout` is still passed, so that a request cut
// short here is also aborted there (closing its connection); a body is cancelled, which
// closes the connection too (undici aborts the fetch).
import { TransportError } from "../errors/transport-error.js";

export class AttemptLimit {
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onAbort: (() => void) | undefined;
  private rejectStop!: (e: TransportError) => void;
  private cancelBody: (() => void) | undefined;
  /** Why the attempt was cut short, once it was. */
  private stoppedBy: TransportError | undefined;
  /** Rejects when the time is up or the caller aborts. */
  private readonly stopped: Promise<never>;

  constructor(
    ms: number,
    private readonly signal: AbortSignal | undefined,
    private readonly provider: string,
    private readonly model: string,
  ) {
    this.stopped = new Promise<never>((_, reject) => (this.rejectStop = reject));
    this.stopped.catch(() => {}); // settled by whichever comes first; the loser is not an error
    this.timer = setTimeout(() => this.stop("timeout", "the attempt timed out"), Math.max(0, ms));
    if (signal) {
      // A signal that ends with a TimeoutError (AbortSignal.timeout) is a timeout, not the caller's abort.
      this.onAbort = () => ((signal.reason as Error | undefined)?.name === "TimeoutError" ? this.stop("timeout", "the attempt timed out") : this.stop("aborted", "the call was aborted"));
      if (signal.aborted) this.onAbort();
      else signal.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  private stop(kind: "timeout" | "aborted", message: string): void {
    if (this.stoppedBy) return;
    this.stoppedBy = new TransportError({ kind, message, provider: this.provider, model: this.model });
    this.rejectStop(this.stoppedBy);
    this.cancelBody?.();
  }

  /** The response, unless the attempt is cut short first (then a late one has its body cancelled). */
  async response(request: Promise<Response>, mapError: (e: unknown) => TransportError): Promise<Response> {
    request.then((late) => void (this.stoppedBy && late.body?.cancel().catch(() => {})), () => {});
    try {
      return await Promise.race([request, this.stopped]);
    } catch (e) {
      throw e === this.stoppedBy ? e : mapError(e);
    }
  }

  /** The body as JSON, read within the attempt's time. */
  async json<T>(response: Response): Promise<T> {
    const body = response.body;
    if (!body) throw new TransportError({ kind: "server", message: "unreadable reply: an empty body", provider: this.provider, model: this.model });
    const reader = body.getReader();
    // Cancelling also ends a pending read (as done): `stoppedBy` keeps that from passing as the end of the body.
    this.cancelBody = () => void reader.cancel(this.stoppedBy).catch(() => {});
    if (this.stoppedBy) this.cancelBody();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        // No race per chunk: stopping cancels the reader, which ends this read at once.
        const { done, value } = await reader.read();
        if (this.stoppedBy) throw this.stoppedBy;
        if (done) break;
        chunks.push(value);
        size += value.byteLength;
      }
    } catch (e) {
      if (e instanceof TransportError) throw e;
      throw new TransportError({ kind: "connection", message: `the reply broke off: ${(e as Error).message}`, provider: this.provider, model: this.model });
    }
    try {
      return JSON.parse(decoder.decode(chunks.length === 1 ? chunks[0]! : concat(chunks, size))) as T;
    } catch (e) {
      // A body that is not JSON: a broken reply, worth another try.
      throw new TransportError({ kind: "server", message: `unreadable reply: ${(e as Error).message}`, provider: this.provider, model: this.model });
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.onAbort) this.signal!.removeEventListener("abort", this.onAbort);
  }
}

const decoder = new TextDecoder();

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
