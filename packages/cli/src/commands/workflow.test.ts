// The example GitHub Actions workflow runs commands this CLI has, as it runs them, in a
// repository shaped like the one it is meant for.
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { gitProject, REPO, run } from "../testing/cli.js";

const scratch: { remove(): void }[] = [];
afterAll(() => scratch.forEach((s) => s.remove()));

describe("examples/github-actions/promptc.yml", () => {
  const workflow = YAML.parse(readFileSync(join(REPO, "examples/github-actions/promptc.yml"), "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const commands = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run?.startsWith("npx promptc ") ? [s.run.slice("npx promptc ".length)] : [])));

  it("runs check, the evals in replay, then diff into the file the comment step posts", async () => {
    expect(commands.map((c) => c.split(" ")[0])).toEqual(["check", "eval", "diff"]);
    expect(commands[1]).toContain("--replay");
    expect(commands[2]).toContain("--out promptc-diff.md");
  });

  it("its commands work on a pull request's checkout", async () => {
    const p = gitProject();
    scratch.push(p);
    cpSync(join(REPO, "cassettes"), join(p.dir, "cassettes"), { recursive: true });
    p.git("add", "cassettes");
    p.git("commit", "-q", "-m", "cassettes");
    for (const command of commands) {
      // `origin/${{ github.base_ref }}` is the base branch; here, main.
      const args = command.replace(/"origin\/\$\{\{ github\.base_ref \}\}"/g, "main").split(" ");
      const r = await run(p.dir, args);
      expect(r.code, `${command}\n${r.stderr}`).toBe(0);
    }
    expect(readFileSync(join(p.dir, "promptc-diff.md"), "utf8")).toMatch(/^## promptc: /);
    expect(readFileSync(join(p.dir, "promptc-eval.md"), "utf8")).toMatch(/^### promptc eval: passed/);
    expect(readFileSync(join(p.dir, "promptc-eval.xml"), "utf8")).toMatch(/<testsuites name="promptc eval" tests="\d+" failures="0" errors="0"/);
  });
});
