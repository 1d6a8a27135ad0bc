// promptc stats over records a real runtime wrote: a version that regressed shows it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { definePrompt, JsonlFileSink, Runtime, type PromptMeta } from "@promptc/runtime";
import { startMockServer } from "@promptc/runtime/testing";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { run } from "../testing/cli.js";
import type { StatsRow } from "./stats.js";

const dir = mkdtempSync(join(tmpdir(), "promptc-stats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (version: number): PromptMeta => ({
  id: "support/route", version, hash: `sha256:${String(version).padStart(16, "0")}`, source: "prompts/support/route.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-5.4-mini"], providers: { openai: { type: "openai" } }, maxTokens: 100, temperature: null, topP: null, stop: null },
  output: { format: "json", schema: { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false }, strict: true, wrapped: false },
  policies: { retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 1, fallback: { kind: "value", value: { queue: "technical" } }, budget: null, cache: null },
});
const schemas = { InputSchema: z.object({ t: z.string() }), OutputSchema: z.object({ queue: z.enum(["billing", "technical"]) }) };

describe("promptc stats", () => {
  it("shows per version what production saw, feedback included", async () => {
    const server = await startMockServer();
    const path = join(dir, "calls.jsonl");
    const sink = new JsonlFileSink(path);
    const rt = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL } }, sinks: [sink] });
    const v1 = definePrompt(meta(1), schemas, (i) => [{ role: "user", content: i.t }]);
    const v2 = definePrompt(meta(2), schemas, (i) => [{ role: "user", content: `${i.t}!` }]);
    // v1 answers well; v2 needs a re-ask half the time and falls back the other half.
    server.setHandler(() => ({ json: { queue: "billing" }, usage: { input: 20, output: 5 } }));
    for (let i = 0; i < 4; i++) {
      const { record } = await v1.withRecord({ t: `a${i}` }, { runtime: rt });
      rt.feedback(record.callId, 1);
    }
    let n = 0;
    server.setHandler(() => (n++ % 3 === 2 ? { json: { queue: "billing" } } : { json: { queue: "nope" } }));
    for (let i = 0; i < 4; i++) {
      const { record } = await v2.withRecord({ t: `b${i}` }, { runtime: rt });
      rt.feedback(record.callId, 0, "wrong queue");
    }
    await sink.flush();
    await server.close();
    writeFileSync(join(dir, "empty.jsonl"), "");

    const r = await run(dir, ["stats", "--records", "calls.jsonl", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { prompts: StatsRow[] }).prompts;
    expect(rows.map((x) => [x.prompt, x.version, x.calls])).toEqual([["support/route", 1, 4], ["support/route", 2, 4]]);
    expect(rows[0]).toMatchObject({ validRate: 1, reaskRate: 0, fallbackRate: 0, feedback: { count: 4, meanScore: 1 } });
    expect(rows[1]!.validRate).toBeLessThan(1);
    expect(rows[1]!.reaskRate).toBeGreaterThan(0);
    expect(rows[1]!.fallbackRate).toBeGreaterThan(0);
    expect(rows[1]!.feedback).toEqual({ count: 4, meanScore: 0 });
    expect(rows[0]!.costUsd.perCall).toBeCloseTo((20 * 0.75 + 5 * 4.5) / 1e6, 12);

    const table = await run(dir, ["stats", "--records", "calls.jsonl"]);
    expect(table.stdout).toMatch(/^prompt\s+version\s+calls\s+valid\s+re-ask\s+fallback/m);
    expect(table.stdout).toMatch(/support\/route\s+1\s+4\s+100\.0%\s+0\.0%\s+0\.0%/);
    expect((await run(dir, ["stats", "--records", "empty.jsonl"])).code).toBe(0);
  });

  it("a malformed line is named; a missing file is a usage error", async () => {
    writeFileSync(join(dir, "bad.jsonl"), '{"type":"feedback","callId":"x"}\n');
    expect(await run(dir, ["stats", "--records", "bad.jsonl"])).toMatchObject({ code: 1, stderr: expect.stringContaining("bad.jsonl:1: a feedback line needs callId and a numeric score") });
    expect(await run(dir, ["stats", "--records", "none.jsonl"])).toMatchObject({ code: 2, stderr: expect.stringContaining("cannot read none.jsonl: ENOENT") });
    expect(await run(dir, ["stats"])).toMatchObject({ code: 2 });
  });
});
