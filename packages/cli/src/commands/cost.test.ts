// promptc cost over the example prompts and a records file.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run, scratchProject } from "../testing/cli.js";

const scratch: { remove(): void }[] = [];
afterAll(() => scratch.forEach((s) => s.remove()));

function withRecords(lines: string[]) {
  const p = scratchProject();
  scratch.push(p);
  writeFileSync(join(p.dir, "calls.jsonl"), lines.join("\n") + "\n");
  return p;
}
const rec = (over: Record<string, unknown>) => JSON.stringify({ promptId: "support/route-ticket", version: 1, inputTokens: 100, outputTokens: 50, cache: null, ...over });

describe("promptc cost", () => {
  const lines = [
    ...Array.from({ length: 10 }, (_, i) => rec({ inputTokens: (i + 1) * 100 })),
    rec({ cache: "exact", inputTokens: 0, outputTokens: 0 }),
    rec({ cache: "semantic", inputTokens: 0, outputTokens: 0 }),
    rec({ version: 0, inputTokens: 99_999 }), // another version: not counted
  ];

  it("projects each model of the chain at p50 and p95, counting cache hits by their rate", async () => {
    const p = withRecords(lines);
    const r = await run(p.dir, ["cost", "--volume", "1000", "--records", "calls.jsonl", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { prompts: { prompt: string; calls: number; cacheHitRate: number; tokens: unknown; models: { model: string; monthlyUsd: { p50: number; p95: number } | null }[] }[] };
    const route = out.prompts.find((x) => x.prompt === "support/route-ticket")!;
    expect(route.calls).toBe(12);
    expect(route.cacheHitRate).toBeCloseTo(2 / 12);
    expect(route.tokens).toEqual({ p50: { input: 600, output: 50 }, p95: { input: 1000, output: 50 } });
    // gpt-5.4-mini: 0.75 in, 4.5 out per million; 1,000 a day x 30 days x 10/12 answered by a model.
    const mini = route.models.find((m) => m.model === "openai:gpt-5.4-mini")!;
    expect(mini.monthlyUsd!.p50).toBeCloseTo(((600 * 0.75 + 50 * 4.5) / 1e6) * 25_000, 9);
    expect(mini.monthlyUsd!.p95).toBeCloseTo(((1000 * 0.75 + 50 * 4.5) / 1e6) * 25_000, 9);
    expect(route.models.map((m) => m.model)).toEqual(["openai:gpt-5.4-mini", "anthropic:claude-haiku-4-5", "openai:gpt-5.4", "anthropic:claude-sonnet-4-6"]);
    expect(out.prompts.find((x) => x.prompt === "finance/extract-invoice")!.models.every((m) => m.monthlyUsd === null)).toBe(true); // no records
  });

  it("prints a table", async () => {
    const p = withRecords(lines);
    const r = await run(p.dir, ["cost", "--volume", "1000", "--records", "calls.jsonl"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/support\/route-ticket\s+1\s+12\s+17%\s+600\/50\s+1000\/50\s+openai:gpt-5\.4-mini\s+\$16\.88\s+\$24\.38/);
    expect(r.stdout).toMatch(/finance\/extract-invoice .*no call records/);
  });

  it.each([
    [["cost", "--volume", "lots", "--records", "calls.jsonl"], 2, /--volume must be a positive number of calls per day, got lots/],
    [["cost", "--volume", "10"], 2, /--records <calls.jsonl> is required/],
    [["cost", "--volume", "10", "--records", "missing.jsonl"], 2, /cannot read missing.jsonl: ENOENT/],
  ])("bad arguments: %j", async (args, code, message) => {
    const p = withRecords(lines);
    const r = await run(p.dir, args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it("a malformed record names its line and projects nothing", async () => {
    const p = withRecords([rec({}), "{ not json", rec({})]);
    const r = await run(p.dir, ["cost", "--volume", "10", "--records", "calls.jsonl"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/calls\.jsonl:2: not a JSON call record .*nothing was projected/);
    expect(r.stdout).toBe("");
  });
});
