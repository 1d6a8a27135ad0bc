// promptc bisect in a real git repository: eight versions of a prompt, one that broke it, and
// two that no longer build. Recorded once from the local server, then replayed offline.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startMockServer, type MockRequest, type MockServer } from "@promptc/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../testing/cli.js";

const RULE = "Billing questions go to billing.";
const promptAt = (version: number, system: string, user = "Ticket: {{ticket}}") => `version: ${version}
model: { tier: fast, max_tokens: 100 }
input:
  ticket: string
output:
  queue(enum): [billing, technical, sales]
  summary: string
messages:
  - system: "${system}"
  - user: "${user}"
on_invalid_output: { reask: 0 }
tests:
  - name: a double charge goes to billing
    input: { ticket: "charged twice" }
    expect: { queue: billing }
  - name: a crash goes to technical
    input: { ticket: "it crashes" }
    expect: { queue: technical }
`;

/** The stand-in model follows the routing rules the system message states. */
function model(r: MockRequest) {
  const text = JSON.stringify(r.body["messages"]);
  const billing = text.includes(RULE) && text.includes("charged");
  return { json: { queue: billing ? "billing" : text.includes("crash") ? "technical" : "sales", summary: "ok" } };
}

let server: MockServer;
let dir: string;
const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { stdio: "pipe" });
const commit = (version: number, text: string, message: string) => {
  writeFileSync(join(dir, "prompts/route.prompt.yaml"), text);
  git("add", ".");
  git("commit", "-q", "-m", message);
  return version;
};

beforeAll(async () => {
  server = await startMockServer({ handler: model });
  dir = mkdtempSync(join(tmpdir(), "promptc-bisect-"));
  mkdirSync(join(dir, "prompts"));
  writeFileSync(join(dir, "promptc.config.yaml"), "prompts: prompts\nout: generated\ntiers:\n  fast: [openai:gpt-4.1-mini]\n");
  writeFileSync(join(dir, ".gitignore"), "generated/\ncassettes/\n");
  git("init", "-q", "-b", "main");
  commit(1, promptAt(1, `Route tickets. ${RULE}`), "v1: first prompt");
  commit(2, promptAt(2, `Route support tickets. ${RULE}`), "v2: wording");
  commit(3, promptAt(3, `Route support tickets. ${RULE}`, "Ticket: {{tikcet}}"), "v3: typo, does not build");
  commit(4, promptAt(4, `Route support tickets carefully. ${RULE}`), "v4: fix the typo");
  commit(5, promptAt(5, "Route support tickets carefully and briefly."), "v5: shorten the system message");
  commit(6, promptAt(6, "Route support tickets carefully and briefly. Be kind."), "v6: tone");
  commit(7, promptAt(7, "Route support tickets. {{#if}}", "Ticket: {{ticket}}"), "v7: broken template");
  commit(8, promptAt(8, "Route support tickets carefully, briefly and kindly."), "v8: tone again");
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("promptc bisect", () => {
  const env = () => ({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: "sk-test-bisect" });

  it("names the first bad version, the cases that flipped and what changed, skipping versions that do not build", async () => {
    const r = await run(dir, ["bisect", "route", "--good", "1", "--bad", "8", "--record"], env());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/First bad version: v5 \([0-9a-f]{7} \d{4}-\d\d-\d\d "v5: shorten the system message"\)/);
    expect(r.stdout).toMatch(/Last good version: v4 \([0-9a-f]{7} .*"v4: fix the typo"\)/);
    expect(r.stdout).toMatch(/Cases that flipped \(pass at v4, fail at v5\):\n {2}- a double charge goes to billing \(prompts\/route\.prompt\.yaml:\d+:5\)\n {6}matches: `queue` is "sales", expected "billing"/);
    expect(r.stdout).not.toMatch(/- a crash goes to technical/);
    expect(r.stdout).toContain("### `route`: v4 → v5");
    expect(r.stdout).toContain(`-Route support tickets carefully. ${RULE}`);
    expect(r.stdout).toContain("+Route support tickets carefully and briefly.");
  });

  it("replays the same search offline from the recorded cassettes", async () => {
    const r = await run(dir, ["bisect", "route", "--good", "v1", "--bad", "v8", "--replay"], { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("First bad version: v5");
    expect(r.stdout).toMatch(/replay/);
  });

  it("skips a version that does not build, rather than blaming it", async () => {
    // v2..v5: the middle is v3, which does not build; v4 is tried next.
    const r = await run(dir, ["bisect", "route", "--good", "2", "--bad", "5", "--record"], env());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/v3 {4}skipped +does not build: PC1202 template variable `tikcet` is not declared in input/);
    expect(r.stdout).toContain("First bad version: v5");
    expect(r.stdout).toContain("Last good version: v4");
  });

  it("rejects versions that never existed and a good version that fails", async () => {
    const never = await run(dir, ["bisect", "route", "--good", "1", "--bad", "9"]);
    expect(never.code).toBe(2);
    expect(never.stderr).toContain("version 9 of `route` never existed; prompts/route.prompt.yaml has had versions 1, 2, 3, 4, 5, 6, 7, 8");
    expect((await run(dir, ["bisect", "route", "--good", "5", "--bad", "2"])).stderr).toContain("--good v5 must be older than --bad v2");
    expect((await run(dir, ["bisect", "rout", "--good", "1", "--bad", "2"])).stderr).toContain("did you mean `route`?");
    const options = await run(dir, ["bisect", "route", "--good", "1", "--bad", "2", "--min-pass", "3"]);
    expect(options.code).toBe(2);
    expect(options.stderr).toContain("--min-pass 3 is more than --repeat 1");
    const notGood = await run(dir, ["bisect", "route", "--good", "5", "--bad", "8", "--record"], env());
    expect(notGood.code).toBe(1);
    expect(notGood.stderr).toContain("--good v5 is not good (bad: 1/2 cases pass (50.0%))");
  });
});
