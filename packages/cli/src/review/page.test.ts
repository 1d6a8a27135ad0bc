// The review page in real Chromium (Debian's, driven by playwright-core): a person clears a
// queue with the keyboard (approve, edit with the browser's own checks, reject with a reason),
// payloads in inputs and model output stay text, and the server refuses every request without
// the token. A screenshot is kept in test-artifacts/ for a person to look at.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PromptMeta } from "@promptc/runtime";
import { Reviews, SqliteReviewStore, type ReviewId } from "@promptc/runtime/reviews";
import { chromium as playwright, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startReviewServer, type ReviewServer } from "./server.js";

const browserPath = ["chromium", "chromium-browser"].map((b) => spawnSync("which", [b], { encoding: "utf8" }).stdout.trim()).find(Boolean);
if (!browserPath && process.env["CI"]) throw new Error("CI needs Chromium for the review page's tests (apt-get install -y chromium); .ci/run installs it");
const artifacts = fileURLToPath(new URL("../../../../test-artifacts/", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "promptc-review-page-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const meta: PromptMeta = {
  id: "support/refund-decision", version: 2, hash: "sha256:00000000000000ab", source: "prompts/support/refund-decision.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 50, temperature: 0, topP: null, stop: null },
  output: {
    format: "json", strict: false, wrapped: false,
    schema: { type: "object", properties: { decision: { enum: ["refund", "partial_refund", "deny"] }, amount_usd: { type: "number", minimum: 0 }, confidence: { type: "number", minimum: 0, maximum: 1 }, reason: { type: "string" } }, required: ["decision", "amount_usd", "confidence", "reason"], additionalProperties: false },
  },
  policies: { retry: { attempts: 1, timeoutMs: 1000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null, review: { when: "output.confidence < 0.8", timeoutMs: 86_400_000, onTimeout: "reject" } },
};
// What an attacker controls: the customer's ticket and, through it, the model's output.
const SCRIPT = "<script>window.__pwned = 'script'</script>";
const ATTRIBUTE = `"><img src=x onerror="window.__pwned='attribute'"><b title='`;

async function queue(reviews: Reviews, count: number): Promise<ReviewId[]> {
  const ids: ReviewId[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await reviews.ask(meta, {
      input: { ticket: `${i === 0 ? SCRIPT : ATTRIBUTE} refund order ${i}`, order_total_usd: 40 },
      messages: [{ role: "system", content: "You decide refunds." }, { role: "user", content: `Ticket: ${SCRIPT} ${ATTRIBUTE}` }],
      output: { decision: "partial_refund", amount_usd: 20, confidence: 0.55, reason: `${ATTRIBUTE} half ${SCRIPT}` },
      callId: `call-${i}`,
    }));
  }
  return ids;
}

describe.skipIf(!browserPath)("the review page, in headless Chromium", () => {
  let browser: Browser;
  let reviews: Reviews;
  let server: ReviewServer;
  let page: Page;
  beforeAll(async () => {
    browser = await playwright.launch({ executablePath: browserPath!, args: ["--no-sandbox", "--disable-gpu"] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    reviews = new Reviews({ store: new SqliteReviewStore(join(dir, `r${n++}.sqlite`)) });
    server = await startReviewServer({ reviews, reviewer: "ana" });
    page = await browser.newPage();
    return async () => {
      await page.close();
      await server.close();
      await reviews.store.close();
    };
  });

  it("clears a queue from the keyboard: approve, edit (checked in the browser and on the server), reject with a reason", async () => {
    const [first, second, third] = await queue(reviews, 3);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(server.url);
    await expect.poll(() => page.locator("#queue li").count()).toBe(3);
    expect(await page.locator("#prompt").textContent()).toBe("support/refund-decision");
    expect(await page.locator("#identity").textContent()).toContain("version 2 · sha256:00000000000000ab");
    expect(await page.locator("#reviewer").inputValue()).toBe("ana");
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "review-page.png"), fullPage: true });

    await page.keyboard.press("a");
    await expect.poll(() => page.locator("#status").textContent()).toBe("decided: approve");
    expect((await reviews.get(first!))?.status).toBe("approved");
    expect(await reviews.get(first!)).toMatchObject({ reviewer: "ana", decidedOutput: { amount_usd: 20 } });
    await expect.poll(() => page.locator("#queue li").count()).toBe(2);

    // An amount below the schema's minimum is refused in the browser: nothing reaches the server.
    await page.keyboard.press("e");
    await page.locator('#output [name="amount_usd"]').fill("-5");
    await page.locator('#output [name="amount_usd"]').press("Escape");
    await page.keyboard.press("s");
    expect(await page.locator("#status").textContent()).toContain("fix the output first: at least 0");
    expect(await page.locator('#output [name="amount_usd"]').getAttribute("class")).toContain("invalid");
    expect((await reviews.get(second!))?.status).toBe("pending");
    await page.locator('#output [name="amount_usd"]').fill("12.5");
    await page.locator('#output [name="decision"]').selectOption({ label: "refund" });
    await page.locator('#output [name="decision"]').press("Escape");
    await page.keyboard.press("s");
    // The page's own word that it is done, before the next key: the store can say so first.
    await expect.poll(() => page.locator("#status").textContent()).toBe("decided: edit");
    await expect.poll(() => page.locator("#queue li").count()).toBe(1);
    expect((await reviews.get(second!))?.status).toBe("edited");
    expect((await reviews.get(second!))?.decidedOutput).toMatchObject({ decision: "refund", amount_usd: 12.5, confidence: 0.55 });

    await page.keyboard.press("r");
    await page.keyboard.type("order is older than 30 days");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await reviews.get(third!))?.status).toBe("rejected");
    expect((await reviews.get(third!))?.reason).toBe("order is older than 30 days");
    await expect.poll(() => page.locator("#empty").isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it("renders script and attribute payloads from inputs and output as text, never as HTML", async () => {
    await queue(reviews, 2);
    await page.goto(server.url);
    await expect.poll(() => page.locator("#queue li").count()).toBe(2);
    const inputs: string[] = [];
    for (const i of [0, 1]) {
      await page.locator("#queue li").nth(i).click();
      inputs.push((await page.locator("#input").textContent())!);
      expect(await page.locator("#messages").textContent()).toContain(`${SCRIPT} ${ATTRIBUTE}`);
      expect(await page.locator('#output [name="reason"]').inputValue()).toBe(`${ATTRIBUTE} half ${SCRIPT}`);
    }
    // The input is shown as JSON text: its quotes escaped, its angle brackets as they are.
    expect(inputs.join("\n")).toContain(JSON.stringify(SCRIPT).slice(1, -1));
    expect(inputs.join("\n")).toContain(JSON.stringify(ATTRIBUTE).slice(1, -1));
    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.locator("main img, main script, main b[title]").count()).toBe(0);
  });

  it("shows new items as they arrive, keeps an edit in progress, and says when someone else decided the item on screen", async () => {
    const [a, b] = await queue(reviews, 2);
    await page.goto(server.url);
    await expect.poll(() => page.locator("#queue li").count()).toBe(2);
    const shown = (await page.locator("#identity").textContent())!.includes(a!) ? a! : b!;
    await page.locator('#output [name="amount_usd"]').fill("7");
    await queue(reviews, 1);
    await expect.poll(() => page.locator("#queue li").count(), { timeout: 10_000 }).toBe(3);
    expect(await page.locator('#output [name="amount_usd"]').inputValue()).toBe("7");
    await reviews.decide(shown, { reject: "handled by phone" }, "bo");
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 10_000 }).toBe(`review ${shown} was decided elsewhere`);
    expect(await page.locator("#queue li").count()).toBe(2);
  });
});

describe("the review server", () => {
  let reviews: Reviews;
  let server: ReviewServer;
  beforeEach(async () => {
    reviews = new Reviews({ store: new SqliteReviewStore(join(dir, `s${n++}.sqlite`)) });
    server = await startReviewServer({ reviews });
    return async () => {
      await server.close();
      await reviews.store.close();
    };
  });
  const base = () => `http://127.0.0.1:${server.port}`;
  const auth = () => ({ authorization: `Bearer ${server.token}`, "content-type": "application/json" });

  it("refuses the page and every API request without the token, sends no CORS headers, and answers only to its own host", async () => {
    const [id] = await queue(reviews, 1);
    const page = await fetch(`${base()}/`);
    expect(page.status).toBe(401);
    expect((await fetch(`${base()}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base()}/api/reviews`)).status).toBe(401);
    expect((await fetch(`${base()}/api/reviews`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    const decide = await fetch(`${base()}/api/reviews/${id}/decision`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ approve: true, reviewer: "mallory" }) });
    expect(decide.status).toBe(401);
    expect((await reviews.get(id!))?.status).toBe("pending");
    const preflight = await fetch(`${base()}/api/reviews`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const ok = await fetch(server.url, { headers: { origin: "https://evil.example" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBeNull();
    expect(ok.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'nonce-/);
    expect(ok.headers.get("referrer-policy")).toBe("no-referrer");
    // A page that rebinds its own name to 127.0.0.1 sends its own Host: refused.
    const rebound = await new Promise<number>((resolve) => {
      import("node:http").then(({ request }) => request({ host: "127.0.0.1", port: server.port, path: `/?token=${server.token}`, headers: { host: `evil.example:${server.port}` } }, (r) => resolve(r.statusCode!)).end());
    });
    expect(rebound).toBe(403);
  });

  it("answers typed: 404 unknown, 409 decided, 422 an edit the schema refuses (checked again on the server), 400 no reviewer", async () => {
    const [id] = await queue(reviews, 1);
    const post = (path: string, body: unknown) => fetch(`${base()}${path}`, { method: "POST", headers: auth(), body: JSON.stringify(body) });
    expect((await post(`/api/reviews/nope/decision`, { approve: true, reviewer: "ana" })).status).toBe(404);
    expect((await post(`/api/reviews/%E0%A4%A/decision`, { approve: true, reviewer: "ana" })).status).toBe(400);
    const invalid = await post(`/api/reviews/${id}/decision`, { edit: { decision: "refund", amount_usd: -1, confidence: 2, reason: "x" }, reviewer: "ana" });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { issues: { path: string[] }[] }).issues.map((i) => i.path.join("."))).toEqual(["amount_usd", "confidence"]);
    expect((await post(`/api/reviews/${id}/decision`, { approve: true })).status).toBe(400);
    expect((await post(`/api/reviews/${id}/decision`, { approve: true, reviewer: "ana" })).status).toBe(200);
    const again = await post(`/api/reviews/${id}/decision`, { reject: "no", reviewer: "bo" });
    expect(again.status).toBe(409);
    expect(await reviews.get(id!)).toMatchObject({ status: "approved", reviewer: "ana" });
  });
});
