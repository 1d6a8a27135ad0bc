// The review page's server: on 127.0.0.1 only, every request (the page and its API) needs the
// random token printed at start, no CORS headers are ever sent, and a Host header other than
// this server's own is refused (a DNS-rebinding page cannot reach it by name either).
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ReviewAlreadyDecidedError, ReviewEditInvalidError, UnknownReviewError, type ReviewDecision, type ReviewId, type Reviews, type ReviewStatus } from "@promptc/runtime/reviews";
import { reviewPage } from "./page.js";

export interface ReviewServer {
  /** The page's address, token included. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

const STATUSES: readonly ReviewStatus[] = ["pending", "approved", "edited", "rejected", "timed_out"];
const MAX_BODY = 1_000_000;

export async function startReviewServer(options: { reviews: Reviews; port?: number; reviewer?: string; token?: string }): Promise<ReviewServer> {
  const { reviews } = options;
  const token = options.token ?? randomBytes(24).toString("base64url");
  const expected = Buffer.from(token);
  const tokenOk = (given: string | null | undefined) => !!given && Buffer.byteLength(given) === expected.length && timingSafeEqual(Buffer.from(given), expected);
  let port = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? "";
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, { error: `this server answers only to 127.0.0.1:${port}` });
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (url.pathname === "/" && req.method === "GET") {
      if (!tokenOk(url.searchParams.get("token"))) {
        res.writeHead(401, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
        return void res.end("promptc review: open the address promptc review printed; it carries the token this page needs.\n");
      }
      const nonce = randomBytes(16).toString("base64");
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        // The token is in the address: it must not leave in a Referer.
        "referrer-policy": "no-referrer",
        "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      });
      return void res.end(reviewPage(nonce));
    }
    if (!url.pathname.startsWith("/api/")) return send(res, 404, { error: "not found" });
    if (!tokenOk(bearer)) return send(res, 401, { error: "this API needs the token promptc review printed, as `Authorization: Bearer <token>`" });

    if (url.pathname === "/api/reviews" && req.method === "GET") {
      const status = url.searchParams.get("status") ?? undefined;
      if (status !== undefined && !STATUSES.includes(status as ReviewStatus)) return send(res, 400, { error: `status is one of ${STATUSES.join(", ")}` });
      const promptId = url.searchParams.get("prompt") ?? undefined;
      const list = await reviews.list({ ...(status ? { status: status as ReviewStatus } : {}), ...(promptId ? { promptId } : {}), limit: 500 });
      // Oldest first: a queue is cleared in the order it filled.
      return send(res, 200, { reviews: list.reverse(), reviewer: options.reviewer ?? null });
    }
    const one = /^\/api\/reviews\/([^/]+)(\/decision)?$/.exec(url.pathname);
    let reviewId = "";
    try {
      reviewId = one ? decodeURIComponent(one[1]!) : "";
    } catch {
      return send(res, 400, { error: "the review id in the address is not valid percent-encoding" });
    }
    if (one && !one[2] && req.method === "GET") {
      const item = await reviews.get(reviewId as ReviewId);
      return item ? send(res, 200, item) : send(res, 404, { error: `no review \`${reviewId}\`` });
    }
    if (one && one[2] && req.method === "POST") {
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return send(res, 415, { error: "send the decision as application/json" });
      let body: { approve?: unknown; edit?: unknown; reject?: unknown; reviewer?: unknown };
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch (e) {
        return send(res, 400, { error: e instanceof RangeError ? e.message : "the body is not JSON" });
      }
      const decision: ReviewDecision | undefined =
        body.approve === true ? { approve: true } : "edit" in body ? { edit: body.edit } : typeof body.reject === "string" ? { reject: body.reject } : undefined;
      if (!decision) return send(res, 400, { error: "a decision is { approve: true }, { edit: output } or { reject: reason }" });
      try {
        return send(res, 200, await reviews.decide(reviewId as ReviewId, decision, typeof body.reviewer === "string" ? body.reviewer : ""));
      } catch (e) {
        if (e instanceof UnknownReviewError) return send(res, 404, { error: e.message });
        if (e instanceof ReviewAlreadyDecidedError) return send(res, 409, { error: e.message, status: e.status });
        if (e instanceof ReviewEditInvalidError) return send(res, 422, { error: e.message, issues: e.issues });
        if (e instanceof TypeError) return send(res, 400, { error: e.message });
        throw e;
      }
    }
    return send(res, 405, { error: `${req.method} ${url.pathname} is not something this server does` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { error: e instanceof Error ? e.message : String(e) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RangeError(`a decision is at most ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
