// promptc review and promptc stats --reviews over a store the runtime wrote: the page served
// until interrupted, decided items exported as an eval file the project then runs, per-version
// review figures, and bad usage.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectEvalCases, DiagnosticBag, ProjectBuilder, readEvalFiles } from "@promptc/core";
import type { PromptMeta } from "@promptc/runtime";
import { Reviews, SqliteReviewStore } from "@promptc/runtime/reviews";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capturedIo, REPO, run } from "../testing/cli.js";
import { main } from "../program.js";

const dir = mkdtempSync(join(tmpdir(), "promptc-review-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (version: number): PromptMeta => ({
  id: "support/refund-decision", version, hash: `sha256:000000000000000${version}`, source: "prompts/support/refund-decision.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 50, temperature: 0, topP: null, stop: null },
  output: { format: "json", strict: false, wrapped: false, schema: { type: "object", properties: { decision: { enum: ["refund", "partial_refund", "deny"] }, amount_usd: { type: "number", minimum: 0 }, confidence: { type: "number" }, reason: { type: "string" } }, required: ["decision", "amount_usd", "confidence", "reason"], additionalProperties: false } },
  policies: { retry: { attempts: 1, timeoutMs: 1000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null, review: { when: "output.confidence < 0.8", timeoutMs: 86_400_000, onTimeout: "reject" } },
});
const out = { decision: "partial_refund", amount_usd: 20, confidence: 0.5, reason: "half" };

// The example project, with a review store beside it: v1 had 4 reviews (2 approved, 1 edited, 1 rejected), v2 has 1 pending.
let project: string;
beforeAll(async () => {
  project = join(dir, "project");
  cpSync(join(REPO, "prompts"), join(project, "prompts"), { recursive: true });
  cpSync(join(REPO, "promptc.config.yaml"), join(project, "promptc.config.yaml"));
  const reviews = new Reviews({ store: new SqliteReviewStore(join(project, ".promptc", "reviews.sqlite")) });
  const ask = (version: number, ticket: string) => reviews.ask(meta(version), { input: { ticket, order_total_usd: 40 }, messages: [{ role: "user", content: ticket }], output: out, callId: ticket });
  const ids = [await ask(1, "charged twice"), await ask(1, "late parcel"), await ask(1, "broken screen"), await ask(1, "fraud"), await ask(2, "new one")];
  await reviews.decide(ids[0]!, { approve: true }, "ana");
  await reviews.decide(ids[1]!, { approve: true }, "ana");
  await reviews.decide(ids[2]!, { edit: { ...out, decision: "refund", amount_usd: 40 } }, "bo");
  await reviews.decide(ids[3]!, { reject: "fraud" }, "bo");
  await reviews.store.close();
});

describe("promptc review", () => {
  it("serves the page on 127.0.0.1 with a token until interrupted", async () => {
    const io = capturedIo(project, { ...process.env, NO_COLOR: "1" });
    const done = main(["review", "--reviewer", "ana"], io);
    await expect.poll(() => io.out.join("")).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(io.out.join("")).toContain("promptc review: 1 pending in ");
    const url = /open (\S+)/.exec(io.out.join(""))![1]!;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const api = await fetch(new URL("/api/reviews?status=pending", url), { headers: { authorization: `Bearer ${new URL(url).searchParams.get("token")}` } });
    expect(await api.json()).toMatchObject({ reviewer: "ana", reviews: [{ promptId: "support/refund-decision", version: 2, input: { ticket: "new one" } }] });
    io.interrupt();
    expect(await done).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  it("exports approved and edited items as eval cases that the project accepts", async () => {
    const r = await run(project, ["review", "export", "support/refund-decision"]);
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: "promptc review: wrote 3 cases of support/refund-decision to prompts/support/refund-decision.reviews.eval.yaml (1 edited by a reviewer)\n" });
    const file = readFileSync(join(project, "prompts/support/refund-decision.reviews.eval.yaml"), "utf8");
    expect(file).toContain('prompt: "support/refund-decision"');
    expect(file).toContain('input: {"ticket":"broken screen","order_total_usd":40}');
    expect(file).toContain('expect: {"decision":"refund","amount_usd":40,"confidence":0.5,"reason":"half"}');
    expect(file).toMatch(/name: "review \w{8} of v1, corrected by bo on \d{4}-\d{2}-\d{2}"/);
    expect(file).not.toContain("fraud");
    // The project reads it back as eval cases of the prompt, checked against its schemas: no diagnostics.
    const build = new ProjectBuilder(project, join(project, "promptc.config.yaml")).build({ dryRun: true });
    expect(build.ok).toBe(true);
    const diagnostics = new DiagnosticBag();
    const files = readEvalFiles(project, join(project, "prompts"), diagnostics).filter((f) => f.source.endsWith(".reviews.eval.yaml"));
    const cases = collectEvalCases(build.prompts.map((p) => p.ir), files, diagnostics);
    expect(diagnostics.hasErrors).toBe(false);
    expect(files).toHaveLength(1);
    expect(cases.filter((c) => c.at.includes(".reviews.eval.yaml")).map((c) => c.expect)).toEqual([out, out, { ...out, decision: "refund", amount_usd: 40 }]);
  });

  it("says what is wrong with bad usage", async () => {
    expect(await run(project, ["review", "purge"])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown action `purge`") });
    expect(await run(project, ["review", "export"])).toMatchObject({ code: 2, stderr: expect.stringContaining("export needs a prompt id") });
    expect(await run(project, ["review", "export", "support/route-ticket"])).toMatchObject({ code: 1, stderr: expect.stringContaining("no approved or edited reviews of `support/route-ticket`") });
    expect(await run(dir, ["review"])).toMatchObject({ code: 2, stderr: expect.stringContaining("no review store at") });
    expect(await run(project, ["review", "--port", "http"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--port takes a port number") });
  });
});

describe("promptc stats --reviews", () => {
  it("shows per version how often review was needed, approved, edited and rejected", async () => {
    const r = await run(project, ["stats", "--reviews", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).reviews).toEqual([
      { prompt: "support/refund-decision", version: 1, reviews: 4, neededRate: null, approved: 2, edited: 1, rejected: 1, timedOut: 0, pending: 0 },
      { prompt: "support/refund-decision", version: 2, reviews: 1, neededRate: null, approved: 0, edited: 0, rejected: 0, timedOut: 0, pending: 1 },
    ]);
    const table = await run(project, ["stats", "--reviews"]);
    expect(table.stdout).toMatch(/^Human review\nprompt\s+version\s+reviews\s+needed\s+approved\s+edited\s+rejected\s+timed out\s+pending$/m);
    expect(table.stdout).toMatch(/^support\/refund-decision\s+1\s+4\s+-\s+2 \(50\.0%\)\s+1 \(25\.0%\)\s+1 \(25\.0%\)\s+0 \(0\.0%\)\s+0$/m);
    expect(await run(dir, ["stats", "--reviews"])).toMatchObject({ code: 2, stderr: expect.stringContaining("no review store at") });
    expect(await run(dir, ["stats"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--records <calls.jsonl>") });
  });
});
