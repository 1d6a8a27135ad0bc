// promptc eval, run as a user runs it, against the local server: live, recording, replaying;
// k-of-n; thresholds; concurrency; reports; and clear failures for what cannot work.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startMockServer, type MockRequest, type MockServer } from "@promptc/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../testing/cli.js";

const CONFIG = `prompts: prompts
out: generated
tiers:
  fast: [openai:gpt-4.1-mini]
`;
const ROUTE = `version: 1
model: { tier: fast, max_tokens: 100 }
input:
  ticket: string
output:
  queue(enum): [billing, technical, sales]
  summary: string
messages:
  - user: "Route this ticket. Ticket: {{ticket}}"
retry: { attempts: 1 }
on_invalid_output: { reask: 0 }
tests:
  - name: a double charge goes to billing
    input: { ticket: "charged twice" }
    expect: { queue: billing }
`;
const SUITE = `prompt: route
assert:
  - schema-valid: true
cases:
  - name: a crash goes to technical
    input: { ticket: "the app crashes" }
    assert:
      - equals: technical
        path: queue
      - contains: crashes
        path: summary
  - name: pricing goes to sales
    input: { ticket: "what does the pro plan cost" }
    expect: { queue: sales }
  - name: a flaky case
    input: { ticket: "flaky" }
    expect: { queue: billing }
`;

/** A stand-in model: routes by keyword; "flaky" answers wrongly on every 4th call. */
let flakyCalls = 0;
let inFlight = 0;
let maxInFlight = 0;
function model(r: MockRequest) {
  const text = JSON.stringify(r.body["messages"]);
  const ticket = /Ticket: ([^"\\]*)/.exec(text)?.[1] ?? "";
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  setTimeout(() => inFlight--, 20);
  let queue = /charged|flaky/.test(ticket) ? "billing" : /crash/.test(ticket) ? "technical" : "sales";
  if (ticket === "flaky" && ++flakyCalls % 4 === 0) queue = "sales";
  return { json: { queue, summary: `Customer: ${ticket}` }, delayMs: 20 };
}

let server: MockServer;
let dir: string;
const env = () => ({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: "sk-test-not-a-secret-4f1c", ANTHROPIC_API_KEY: "" });
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

beforeAll(async () => {
  server = await startMockServer({ handler: model });
  dir = mkdtempSync(join(tmpdir(), "promptc-eval-"));
  write("promptc.config.yaml", CONFIG);
  write("prompts/route.prompt.yaml", ROUTE);
  write("prompts/route.eval.yaml", SUITE);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("promptc eval", () => {
  it("runs live, prints a table with the reasons, and fails below the threshold", async () => {
    flakyCalls = 3; // the next flaky call is the wrong one
    const r = await run(dir, ["eval", "--json", "out/report.json", "--junit", "out/report.xml", "--markdown", "out/report.md", "--html", "out/report.html"], env());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/PASS {2}route v1 {2}a double charge goes to billing/);
    expect(r.stdout).toMatch(/FAIL {2}route v1 {2}a flaky case/);
    expect(r.stdout).toContain("prompts/route.eval.yaml:15:5  matches: `queue` is \"sales\", expected \"billing\"");
    expect(r.stdout).toMatch(/eval failed: 3\/4 cases passed \(75\.0%, threshold 100\.0%\), 1 failed; cost \$[\d.]+; live/);

    const report = JSON.parse(readFileSync(join(dir, "out/report.json"), "utf8"));
    expect(report).toMatchObject({ format: "promptc-eval-report/1", mode: "live", ok: false, passRate: 0.75, totals: { cases: 4, passed: 3, failed: 1, errors: 0 } });
    const flaky = report.cases.find((c: { name: string }) => c.name === "a flaky case");
    expect(flaky.runs[0].assertions[0]).toMatchObject({ type: "matches", pass: false, at: "prompts/route.eval.yaml:15:5" });
    expect(flaky.costUsd).toBeGreaterThan(0);

    const junit = readFileSync(join(dir, "out/report.xml"), "utf8");
    expect(junit).toMatch(/<testsuites name="promptc eval" tests="4" failures="1" errors="0"/);
    expect(junit.match(/<testcase /g)).toHaveLength(4);
    expect(junit).toContain('<failure message="matches: `queue` is &quot;sales&quot;, expected &quot;billing&quot;">');
    expect(readFileSync(join(dir, "out/report.md"), "utf8")).toContain("| ❌ | `route` v1 | a flaky case | 0/1 |");
    expect(readFileSync(join(dir, "out/report.html"), "utf8")).toContain('<tr class="fail" data-status="fail">');

    flakyCalls = 3;
    const lenient = await run(dir, ["eval", "--threshold", "75%"], env());
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("eval passed: 3/4 cases passed (75.0%, threshold 75.0%)");
  });

  it("passes a case k of n times: --repeat 4 --min-pass 3", async () => {
    flakyCalls = 0;
    const k3 = await run(dir, ["eval", "--repeat", "4", "--min-pass", "3"], env());
    expect(k3.code, k3.stdout).toBe(0);
    expect(k3.stdout).toMatch(/PASS {2}route v1 {2}a flaky case +3\/4/);
    flakyCalls = 0;
    const k4 = await run(dir, ["eval", "--repeat", "4"], env());
    expect(k4.code).toBe(1);
    expect(k4.stdout).toMatch(/FAIL {2}route v1 {2}a flaky case +3\/4/);
  });

  it("keeps to --concurrency", async () => {
    maxInFlight = 0;
    const r = await run(dir, ["eval", "--repeat", "5", "--min-pass", "1", "--concurrency", "2"], env());
    expect(r.code).toBe(0);
    expect(maxInFlight).toBe(2);
  });

  it("records cassettes, then replays them with no server, identically, holding no key", async () => {
    flakyCalls = 0;
    const recorded = await run(dir, ["eval", "--record", "--json", "out/recorded.json"], env());
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    expect(recorded.stderr).toMatch(/recorded 1 cassette file in .*cassettes/);
    const cassette = readFileSync(join(dir, "cassettes/route.cassette.json"), "utf8");
    expect(cassette).not.toContain("sk-test-not-a-secret-4f1c");
    expect(cassette).not.toContain(server.openaiBaseURL);
    expect(cassette).not.toMatch(/authorization/i);

    const offline = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "" };
    const replays = [await run(dir, ["eval", "--replay", "--json", "out/replay1.json"], offline), await run(dir, ["eval", "--replay", "--json", "out/replay2.json"], offline)];
    for (const r of replays) expect(r.code, r.stdout + r.stderr).toBe(0);
    const outputs = (f: string) => JSON.parse(readFileSync(join(dir, "out", f), "utf8")).cases.map((c: { name: string; runs: { output: unknown; costUsd: number }[] }) => [c.name, c.runs[0]!.output, c.runs[0]!.costUsd]);
    expect(outputs("replay1.json")).toEqual(outputs("recorded.json"));
    expect(outputs("replay2.json")).toEqual(outputs("replay1.json"));
  });

  it("fails clearly on a cassette miss: a changed prompt is not served an old reply", async () => {
    write("prompts/route.prompt.yaml", ROUTE.replace("version: 1", "version: 2").replace("Route this ticket.", "Route this support ticket."));
    try {
      const r = await run(dir, ["eval", "--replay"], { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/ERR {3}route v2 {2}a double charge goes to billing/);
      expect(r.stdout).toMatch(/no recorded reply for `route` v2 from openai:gpt-4\.1-mini in .*cassettes\/route\.cassette\.json \(key [0-9a-f]{32}\); record it with `promptc eval --record`/);
      expect(r.stderr).toContain("cassette miss");
    } finally {
      write("prompts/route.prompt.yaml", ROUTE);
    }
  });

  it("names a cassette that is not one", async () => {
    const path = join(dir, "cassettes/route.cassette.json");
    const good = readFileSync(path, "utf8");
    writeFileSync(path, good.slice(0, 100));
    try {
      const r = await run(dir, ["eval", "--replay"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cassettes\/route\.cassette\.json is not valid JSON .*re-record it with `promptc eval --record`/);
    } finally {
      writeFileSync(path, good);
    }
  });

  it("shows progress when asked", async () => {
    const r = await run(dir, ["eval", "--replay", "--progress"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/eval █+ 4\/4 runs/);
    expect((await run(dir, ["eval", "--replay"])).stderr).not.toContain("█");
  });

  it("runs only the prompts named, and rejects bad usage", async () => {
    const only = await run(dir, ["eval", "--replay", "route"]);
    expect(only.code).toBe(0);
    // A report on stdout leaves stdout to it, for a pipe into jq.
    const piped = await run(dir, ["eval", "--replay", "--json", "-"]);
    expect(JSON.parse(piped.stdout)).toMatchObject({ format: "promptc-eval-report/1", ok: true });
    expect(piped.stderr).toContain("eval passed");
    const bad: [string[], RegExp][] = [
      [["eval", "rout"], /no prompt `rout`; did you mean `route`\?/],
      [["eval", "--replay", "--record"], /cannot be used together/],
      [["eval", "--repeat", "2", "--min-pass", "3"], /--min-pass 3 is more than --repeat 2/],
      [["eval", "--threshold", "2"], /--threshold is a pass rate/],
      [["eval", "--concurrency", "0"], /--concurrency takes a whole number/],
      [["eval", "--embedder", "magic"], /--embedder is `lexical` or `openai:<model>`/],
    ];
    for (const [args, message] of bad) {
      const r = await run(dir, args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it("reports a malformed eval file at its line and runs nothing", async () => {
    write("prompts/broken.eval.yaml", "prompt: route\ncases:\n  - name: x\n    input: { ticket: y }\n    assert:\n      - contians: z\n");
    try {
      const r = await run(dir, ["eval", "--replay", "--json", "out/never.json"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("error[PC1503]: unknown assertion type `contians`");
      expect(r.stderr).toContain("--> prompts/broken.eval.yaml:6:9");
      expect(existsSync(join(dir, "out/never.json"))).toBe(false);
    } finally {
      rmSync(join(dir, "prompts/broken.eval.yaml"));
    }
  });
});

describe("promptc eval --local", () => {
  it("answers with the local server's stand-in, no key, costs 0 and says local; --record then --replay keeps the label", async () => {
    const local = mkdtempSync(join(tmpdir(), "promptc-eval-local-"));
    try {
      writeFileSync(join(local, "promptc.config.yaml"), CONFIG);
      mkdirSync(join(local, "prompts"));
      writeFileSync(join(local, "prompts/route.prompt.yaml"), ROUTE.replace('input: { ticket: "charged twice" }', 'input: { ticket: "a billing question" }'));
      const noKeys = { OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "", OPENAI_BASE_URL: "" };
      const live = await run(local, ["eval", "--local", "--json", "live.json"], noKeys);
      expect(live.code, live.stderr).toBe(0);
      expect(live.stderr).toContain("promptc's local server answers");
      expect(live.stdout).toMatch(/PASS {2}route v1 {2}a double charge goes to billing +local/);
      expect(live.stdout).toContain("cost $0 (answered by promptc's local server, not a model); live");
      expect(JSON.parse(readFileSync(join(local, "live.json"), "utf8")).cases[0]).toMatchObject({ local: true, costUsd: 0 });

      const rec = await run(local, ["eval", "--local", "--record"], noKeys);
      expect(rec.code, rec.stderr).toBe(0);
      const cassette = readFileSync(join(local, "cassettes/route.cassette.json"), "utf8");
      expect(cassette).toContain('"local": true');
      const replay = await run(local, ["eval", "--replay", "--json", "replay.json"], noKeys);
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toContain("cost $0 (answered by promptc's local server, not a model); replay");
      expect(JSON.parse(readFileSync(join(local, "replay.json"), "utf8")).cases[0]).toMatchObject({ local: true, costUsd: 0 });

      const both = await run(local, ["eval", "--local", "--replay"]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain("--local answers from promptc's local server and --replay from cassettes: use one");
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });
});

describe("the repo's example evals", () => {
  it("pass in replay from the committed cassettes", async () => {
    const r = await run(join(dirname(new URL(import.meta.url).pathname), "../../../.."), ["eval", "--replay"], { OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/eval passed: (\d+)\/\1 cases passed/);
  });
});
