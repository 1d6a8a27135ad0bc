// The built binary, as a user runs it: one spawned run per command family. Everything else about
// the commands is tested in process through main(argv, io); these show the command line itself
// works (bin.ts, exit codes, stdout and stderr, the working directory, the environment).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitProject, REPO, scratchProject, spawnRun } from "./testing/cli.js";

const scratch: { remove(): void }[] = [];
afterAll(() => scratch.forEach((s) => s.remove()));

describe("the promptc binary", () => {
  it("builds (the project family: build, check, inspect)", () => {
    const p = scratchProject();
    scratch.push(p);
    const r = spawnRun(p.dir, ["build"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/built 7 prompts into generated in \d+ ms/);
    const inspect = spawnRun(p.dir, ["inspect", "support/route-tiket"]);
    expect(inspect).toMatchObject({ code: 2, stderr: expect.stringContaining("no prompt `support/route-tiket`") });
  });

  it("diffs against a ref (the git family: check, diff)", () => {
    const r = gitProject();
    scratch.push(r);
    const d = spawnRun(r.dir, ["check", "--base", "main"]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain("against main");
  });

  it("replays the repo's evals (the eval family: eval, bisect)", () => {
    const r = spawnRun(REPO, ["eval", "--replay"], { OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/eval passed: (\d+)\/\1 cases passed/);
  });

  it("reads call records (the records family: stats, cost)", () => {
    const p = scratchProject();
    scratch.push(p);
    writeFileSync(join(p.dir, "calls.jsonl"), JSON.stringify({ callId: "c1", promptId: "support/route-ticket", version: 1, inputTokens: 10, outputTokens: 2, valid: true, latencyMs: 5, costUsd: 0.001, attempts: [], reasks: 0, fallback: null, cache: null }) + "\n");
    const r = spawnRun(p.dir, ["stats", "--records", "calls.jsonl", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).prompts[0]).toMatchObject({ prompt: "support/route-ticket", calls: 1 });
  });

  it("exits 2 on an unknown command, with the help on stderr", () => {
    const r = spawnRun(REPO, ["biuld"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'biuld'");
  });
});
