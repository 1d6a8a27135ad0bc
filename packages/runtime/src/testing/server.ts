// A local server that speaks OpenAI chat completions and Anthropic messages, JSON and SSE,
// with scripted replies and injected faults. Tests, benchmarks and the offline demo run
// against it; it listens on loopback only.
import { lexicalVector } from "../cache/semantic.js";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { anthropicBlock, anthropicDelta, anthropicEnd, anthropicError, anthropicJson, anthropicStart, anthropicStreamText, type Message } from "./anthropic-protocol.js";
import { OPENAI_DONE, openaiChunk, openaiContent, openaiError, openaiJson, openaiUsageChunk, type Completion } from "./openai-protocol.js";
import { billedInputTokens, type Billing } from "./billing.js";
import type { MockReply, Protocol } from "./replies.js";

export type { Protocol } from "./replies.js";

export interface MockRequest {
  protocol: Protocol;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  stream: boolean;
  model: string;
}

export type MockHandler = (request: MockRequest) => MockReply | undefined | Promise<MockReply | undefined>;

export interface MockServerOptions {
  /** Replies served in order; when they run out, `handler` answers, then a schema-valid sample. */
  replies?: MockReply[];
  handler?: MockHandler;
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  host?: "127.0.0.1" | "::1";
  port?: number;
  /** How a reply with no scripted `usage` counts input (billing.ts): everything the request carries. */
  billing?: Billing;
}

export interface MockServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Base URL for the OpenAI SDK (…/v1). */
  readonly openaiBaseURL: string;
  /** Base URL for the Anthropic SDK. */
  readonly anthropicBaseURL: string;
  /** Every request received, in order. */
  readonly requests: MockRequest[];
  /** Queue more replies. */
  enqueue(...replies: MockReply[]): void;
  /** How replies with no scripted usage count input, from now on. */
  setBilling(billing: Billing | undefined): void;
  /** Replace the handler used when the queue is empty. */
  setHandler(handler: MockHandler | undefined): void;
  /** Connections currently open, idle keep-alive ones included. */
  openConnections(): number;
  /** Requests received and not yet answered or abandoned: a call left open shows here. */
  inFlight(): number;
  /**
   * Resolves once no request is in flight (at once if none is); rejects after `timeoutMs`
   * (default 2,000) saying how many are still open. Tests await this instead of sleeping.
   */
  idle(timeoutMs?: number): Promise<void>;
  /** Closes every connection, hanging ones included, and stops listening. */
  close(): Promise<void>;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? "127.0.0.1";
  const queue = [...(options.replies ?? [])];
  let handler = options.handler;
  let billing = options.billing;
  const requests: MockRequest[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;
  let inFlight = 0;
  const idleWaiters = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    inFlight++;
    res.once("close", () => {
      // answered, or the client went away
      if (--inFlight === 0) for (const w of [...idleWaiters]) w();
    });
    void serve(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(e), type: "server_error" } });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  // OpenAI embeddings: the lexical embedder's vectors at 64 dimensions, so that tests can tell
  // near-duplicate inputs (cosine near 1) from unrelated ones.
  async function embeddings(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    let body: { input?: unknown; model?: unknown; encoding_format?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      return send(res, 400, openaiError(400, "request body is not JSON"));
    }
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    if (!inputs.every((i) => typeof i === "string")) return send(res, 400, openaiError(400, "input must be a string or a list of strings"));
    requests.push({ protocol: "openai", path, headers: req.headers, body: body as Record<string, unknown>, stream: false, model: String(body.model ?? "mock") });
    send(res, 200, {
      object: "list",
      model: String(body.model ?? "mock"),
      // The SDK asks for base64 (little-endian float32) unless told otherwise.
      data: (inputs as string[]).map((text, index) => {
        const v = lexicalVector(text, 64);
        return { object: "embedding", index, embedding: body.encoding_format === "base64" ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : Array.from(v) };
      }),
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
    });
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "POST" && path === "/v1/embeddings") return embeddings(req, res, path);
    const protocol: Protocol | undefined = req.method === "POST" && path === "/v1/chat/completions" ? "openai" : req.method === "POST" && path === "/v1/messages" ? "anthropic" : undefined;
    if (!protocol) return send(res, 404, { error: { message: `no route for ${req.method} ${path}`, type: "not_found" } });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return send(res, 400, protocol === "openai" ? openaiError(400, "request body is not JSON") : anthropicError(400, "request body is not JSON"));
    }
    const request: MockRequest = { protocol, path, headers: req.headers, body, stream: body["stream"] === true, model: String(body["model"] ?? "mock") };
    requests.push(request);
    const reply = queue.shift() ?? (await handler?.(request)) ?? {};
    const n = ++counter;

    if (reply.delayMs && !(await sleep(reply.delayMs, res))) return;
    if (reply.hang) return; // left open until the client aborts or the server closes
    if (reply.stallBody) {
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.write('{"id":"stalled","choices":[');
      return; // the rest never comes
    }
    const status = reply.status ?? 200;
    if (reply.body !== undefined) {
      res.writeHead(status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.body);
      return;
    }
    if (status >= 400) {
      const message = `injected ${status}`;
      return send(res, status, protocol === "openai" ? openaiError(status, message) : anthropicError(status, message), reply.headers);
    }
    const input = billedInputTokens(protocol, body, billing);
    if (protocol === "openai") {
      const content = openaiContent(reply, body);
      const c: Completion = { id: `chatcmpl-mock-${n}`, model: request.model, content, finish: reply.finish ?? "stop", usage: reply.usage ?? { input, output: Math.ceil(content.length / 4) } };
      if (!request.stream) return send(res, status, openaiJson(c), reply.headers);
      const includeUsage = (body["stream_options"] as { include_usage?: boolean } | undefined)?.include_usage === true;
      return streamOut(res, reply, content, {
        head: openaiChunk(c, { role: "assistant", content: "" }, null),
        piece: (p) => openaiChunk(c, { content: p }, null),
        tail: openaiChunk(c, {}, c.finish) + (includeUsage ? openaiUsageChunk(c) : "") + OPENAI_DONE,
      });
    }
    const block = anthropicBlock(reply, body, n);
    const text = block.type === "text" ? block.text : JSON.stringify(block.input);
    const m: Message = { id: `msg_mock_${n}`, model: request.model, block, finish: reply.finish ?? (block.type === "tool_use" ? "tool_use" : "end_turn"), usage: reply.usage ?? { input, output: Math.ceil(text.length / 4) } };
    if (!request.stream) return send(res, status, anthropicJson(m), reply.headers);
    return streamOut(res, reply, anthropicStreamText(m), { head: anthropicStart(m), piece: (p) => anthropicDelta(m, p), tail: anthropicEnd(m) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host === "::1" ? "[::1]" : host}:${port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setHandler: (h) => void (handler = h),
    setBilling: (b) => void (billing = b),
    openConnections: () => sockets.size,
    inFlight: () => inFlight,
    idle: (timeoutMs = 2000) =>
      inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const done = () => {
              clearTimeout(timer);
              idleWaiters.delete(done);
              resolve();
            };
            const timer = setTimeout(() => {
              idleWaiters.delete(done);
              reject(new Error(`the local server still has ${inFlight} request${inFlight === 1 ? "" : "s"} in flight after ${timeoutMs} ms`));
            }, timeoutMs);
            idleWaiters.add(done);
          }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

interface StreamShape {
  head: string;
  piece: (text: string) => string;
  tail: string;
}

/** Sends a stream in chunks, with the reply's delays, truncation or hang. */
async function streamOut(res: ServerResponse, reply: MockReply, content: string, shape: StreamShape): Promise<void> {
  const faults = reply.stream ?? {};
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", ...reply.headers });
  await write(res, shape.head);
  const size = Math.max(1, faults.chunkSize ?? 8);
  const pieces: string[] = [];
  for (let i = 0; i < content.length; i += size) pieces.push(content.slice(i, i + size));
  for (let i = 0; i < pieces.length; i++) {
    // Cut only after what was written has left: destroying sooner would drop it unsent.
    if (faults.truncateAfter !== undefined && i >= faults.truncateAfter) return void res.socket?.destroy();
    if (faults.hangAfter !== undefined && i >= faults.hangAfter) return; // stays open
    const wait = i === 0 ? faults.firstChunkDelayMs : faults.chunkDelayMs;
    if (wait && !(await sleep(wait, res))) return;
    await write(res, shape.piece(pieces[i]!));
  }
  res.end(shape.tail);
}

/** Resolves once the chunk has been handed to the socket. */
function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(chunk, () => resolve());
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Waits, unless the client goes away first; resolves false then. */
function sleep(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(true);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once("close", onClose);
  });
}
