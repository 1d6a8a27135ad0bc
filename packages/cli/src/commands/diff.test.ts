// promptc diff --base <ref> in a real git repository: the Markdown a pull request gets.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startMockServer } from "@promptc/runtime/testing";
import { marked, type Tokens } from "marked";
import { afterAll, describe, expect, it } from "vitest";
import { gitProject, REPO, run } from "../testing/cli.js";

const scratch: { remove(): void }[] = [];
afterAll(() => scratch.forEach((s) => s.remove()));

function repo() {
  const p = gitProject();
  scratch.push(p);
  return p;
}

describe("promptc diff --base", () => {
  it("spells out each changed prompt: version, messages, breaking schema changes, settings, cost", async () => {
    const r = repo();
    r.edit("support/route-ticket.prompt.yaml", "version: 1", "version: 2");
    r.edit("support/route-ticket.prompt.yaml", "You route support tickets for Acme.", "You route support tickets for Acme Inc.");
    r.edit("support/route-ticket.prompt.yaml", "max_tokens: 300", "max_tokens: 600");
    r.edit("support/route-ticket.prompt.yaml", "[billing, technical, sales, abuse]", "[billing, technical, sales, abuse, legal]");
    writeFileSync(join(r.dir, "prompts/support/new-one.prompt.yaml"), "version: 1\nmodel: { tier: fast, max_tokens: 50 }\nmessages:\n  - user: hi\n");
    const d = await run(r.dir, ["diff", "--base", "main"]);
    expect(d.code, d.stderr).toBe(0);
    const md = d.stdout;
    expect(md).toMatch(/^## promptc: prompt changes since `main` \([0-9a-f]{7}\)$/m);
    expect(md).toContain("1 changed, 1 added, 0 removed.");
    expect(md).toContain("### `support/route-ticket`: v1 → v2 ⚠️ breaking for callers");
    expect(md).toContain("-You route support tickets for Acme. Answer");
    expect(md).toContain("+You route support tickets for Acme Inc. Answer");
    expect(md).toContain('| `queue` | values added: "legal" | **breaking** |');
    expect(md).toContain("| max_tokens | `300` | `600` |");
    expect(md).toMatch(/\*\*Cost per 1,000 calls\*\*: \$1\.\d\d → \$2\.\d\d \(\+\$1\.\d\d\); openai:gpt-5\.4-mini, template text and output schema \(~\d+ tokens\) plus max_tokens/);
    expect(md).toContain("### `support/new-one`: new, v1");
    expect(md).not.toContain("knowledge/summarize");
  });

  it("keeps every table cell whole, checked with a GFM parser: a nullable type, names, settings", async () => {
    const r = repo();
    r.edit("support/route-ticket.prompt.yaml", "version: 1", "version: 2");
    r.edit("support/route-ticket.prompt.yaml", "  summary: string", "  summary?: string");
    r.edit("support/route-ticket.prompt.yaml", "max_tokens: 300", "max_tokens: 301");
    const d = await run(r.dir, ["diff", "--base", "main"]);
    expect(d.code, d.stderr).toBe(0);
    const tables = marked.lexer(d.stdout).filter((t): t is Tokens.Table => t.type === "table");
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) for (const row of t.rows) expect(row).toHaveLength(t.header.length);
    const output = tables.find((t) => t.rows.some((row) => row[0]!.text.includes("summary")))!;
    const cells = output.rows.filter((row) => row[0]!.text.includes("summary")).map((row) => row.map((c) => c.text));
    expect(cells).toContainEqual(["`summary`", "type string → null|string", "**breaking**"]);
  });

  it("flags a change without a version bump; writes to --out; a bad ref is named", async () => {
    const r = repo();
    r.edit("knowledge/summarize.prompt.yaml", "You summarise documents faithfully.", "You summarise documents.");
    expect((await run(r.dir, ["diff", "--base", "main", "--out", "pr.md"])).code).toBe(0);
    expect(readFileSync(join(r.dir, "pr.md"), "utf8")).toContain("### `knowledge/summarize`: v1 ⚠️ not bumped");
    expect(await run(r.dir, ["diff", "--base", "no-such-branch"])).toMatchObject({ code: 2, stderr: expect.stringContaining("git ref `no-such-branch` does not name a commit") });
  });

  it("prices 1,000 calls from call records when given them", async () => {
    const r = repo();
    r.edit("support/route-ticket.prompt.yaml", "version: 1", "version: 2");
    r.edit("support/route-ticket.prompt.yaml", "max_tokens: 300", "max_tokens: 600");
    const rec = (version: number, input: number, output: number) => JSON.stringify({ promptId: "support/route-ticket", version, inputTokens: input, outputTokens: output });
    writeFileSync(join(r.dir, "calls.jsonl"), [rec(1, 1000, 100), rec(1, 1000, 100), rec(2, 1000, 200)].join("\n") + "\n");
    const md = (await run(r.dir, ["diff", "--base", "main", "--records", "calls.jsonl"])).stdout;
    // gpt-5.4-mini: (1000 x 0.75 + 100 x 4.5) / 1e6 x 1000 = $1.20; with 200 output tokens $1.65.
    expect(md).toContain("**Cost per 1,000 calls**: $1.20 → $1.65 (+$0.4500); openai:gpt-5.4-mini, p50 of 1 call record.");
    // Records for one version only: both sides from the templates, never one of each.
    writeFileSync(join(r.dir, "calls.jsonl"), rec(1, 1000, 100) + "\n");
    expect((await run(r.dir, ["diff", "--base", "main", "--records", "calls.jsonl"])).stdout).toMatch(/\$1\.\d\d → \$2\.\d\d .*template text/);
  });

  it("says so when nothing changed", async () => {
    const r = repo();
    expect((await run(r.dir, ["diff", "--base", "main"])).stdout).toContain("No prompt changed.");
  });

  it("shows eval results before and after from cassettes: the cases whose verdict changed", async () => {
    const r = repo();
    cpSync(join(REPO, "cassettes"), join(r.dir, "cassettes"), { recursive: true });
    r.git("add", "cassettes");
    r.git("commit", "-q", "-m", "cassettes");
    r.edit("support/route-ticket.prompt.yaml", "version: 1", "version: 2");
    r.edit("support/route-ticket.prompt.yaml", "You route support tickets for Acme.", "You route tickets for Acme.");
    // The new version, recorded from a stand-in model that sends everything to sales.
    const server = await startMockServer({ handler: () => ({ json: { queue: "sales", confidence: 0.9, summary: "Customer says: anything." } }) });
    try {
      const recorded = await run(r.dir, ["eval", "--record", "support/route-ticket"], { OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: "sk-test-diff" });
      expect(recorded.code).toBe(1);
    } finally {
      await server.close();
    }
    const d = await run(r.dir, ["diff", "--base", "main"], { OPENAI_API_KEY: "" });
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain("**Evals** (replay): v1 5/5 pass → v2 1/5 pass");
    expect(d.stdout).toContain('| a double charge goes to billing | ✅ | ❌ | matches: `queue` is "sales", expected "billing" |');
    expect(d.stdout).not.toMatch(/\| an upgrade question goes to sales \|/);
    expect((await run(r.dir, ["diff", "--base", "main", "--eval", "off"])).stdout).not.toContain("**Evals**");
    expect((await run(r.dir, ["diff", "--base", "main", "--eval", "sometimes"])).code).toBe(2);
  });
});
