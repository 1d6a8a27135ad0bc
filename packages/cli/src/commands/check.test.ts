// promptc check --base <ref> in a real git repository: the pull-request gate.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitProject, run } from "../testing/cli.js";

const scratch: { remove(): void }[] = [];
afterAll(() => scratch.forEach((s) => s.remove()));

/** The example prompts committed on `main`, then a branch to change route-ticket on. */
function repo() {
  const p = gitProject();
  scratch.push(p);
  p.git("checkout", "-q", "-b", "change");
  return { ...p, edit: (from: string, to: string) => p.edit("support/route-ticket.prompt.yaml", from, to) };
}

describe("promptc check --base", () => {
  it("passes an unchanged project, and a changed prompt with its bump and lockfile", async () => {
    const r = repo();
    expect(await run(r.dir, ["check", "--base", "main"])).toMatchObject({ code: 0, stdout: expect.stringContaining("7 prompts against main: 0 with a new version, 0 new") });
    r.edit("You route support tickets for Acme.", "You route support tickets for Acme Inc.");
    r.edit("version: 1", "version: 2");
    expect((await run(r.dir, ["build"])).code).toBe(0);
    expect(await run(r.dir, ["check", "--base", "main"])).toMatchObject({ code: 0, stdout: expect.stringContaining("1 with a new version") });
  });

  it("fails a chain that names a model that has shut down, naming the replacement", async () => {
    const r = repo();
    const config = join(r.dir, "promptc.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("fast: [openai:gpt-5.4-mini,", "fast: [openai:o4-mini,"));
    const c = await run(r.dir, ["check", "--base", "main"]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain("error[PC1405]: tier `fast` names openai:o4-mini, which had shut down by 2026-12-03: every request to it fails");
    expect(c.stderr).toContain("--> promptc.config.yaml:");
    expect(c.stderr).toContain("move tier `fast` to openai:gpt-5.4-mini");
  });

  it("fails a prompt changed without a bump, at its version's line", async () => {
    const r = repo();
    r.edit("You route support tickets for Acme.", "You route support tickets for Acme Inc.");
    const c = await run(r.dir, ["check", "--base", "main"]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain("error[PC1301]: `support/route-ticket` changed but its version is still 1 (as at main)");
    expect(c.stderr).toContain("--> prompts/support/route-ticket.prompt.yaml:2:10");
  });

  it("fails a version that went backwards since the base", async () => {
    const r = repo();
    r.edit("version: 1", "version: 3");
    await run(r.dir, ["build"]);
    r.git("commit", "-q", "-am", "v3");
    r.git("tag", "v3");
    r.edit("version: 3", "version: 2");
    const c = await run(r.dir, ["check", "--base", "v3"]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain("error[PC1302]: `support/route-ticket` version went backwards: 2 after 3 at v3");
  });

  it("fails a bump whose lockfile was not updated", async () => {
    const r = repo();
    r.edit("You route support tickets for Acme.", "You route tickets for Acme.");
    r.edit("version: 1", "version: 2");
    const c = await run(r.dir, ["check", "--base", "main"]);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain("error[PC1602]: lockfile promptc.lock.json is out of date");
  });

  it("names a ref that does not exist, and requires --base", async () => {
    const r = repo();
    const c = await run(r.dir, ["check", "--base", "origin/nope"]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/git ref `origin\/nope` does not name a commit in this repository/);
    expect(await run(r.dir, ["check"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--base <git-ref> is required") });
  });
});
