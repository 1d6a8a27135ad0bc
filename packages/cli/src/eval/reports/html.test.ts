// The HTML report in a real browser (Debian's Chromium, headless): it shows every case with
// its verdict, cost and latency, and its script filters to the failed cases. Under CI a
// missing Chromium is an error (.ci/run installs it); elsewhere these tests are skipped.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CaseOutcome, EvalResults } from "../run-evals.js";
import { renderHtml } from "./html.js";
import { verdict } from "./report.js";

const chromium = ["chromium", "chromium-browser"].find((b) => spawnSync(b, ["--version"], { stdio: "ignore" }).status === 0);
if (!chromium && process.env["CI"]) throw new Error("CI needs Chromium for the HTML report's tests (apt-get install -y chromium); .ci/run installs it");

const kase = (name: string, status: CaseOutcome["status"], costUsd: number, latencyMs: number, reason?: string): CaseOutcome => ({
  promptId: "support/route-ticket", version: 3, hash: "sha256:abc", name, at: `prompts/support/route-ticket.eval.yaml:${name.length}:5`, status, passedRuns: status === "pass" ? 1 : 0, costUsd, latencyMs, score: status === "pass" ? 1 : 0, local: false,
  runs: [{ pass: status === "pass", error: status === "error" ? reason! : null, output: { queue: "billing" }, costUsd, judgeCostUsd: 0, latencyMs, assertions: status === "fail" ? [{ type: "matches", path: "", at: "x:1:1", pass: false, score: 0, reason: reason! }] : [], local: false }],
});
const results: EvalResults = {
  mode: "replay", repeat: 1, minPass: 1, startedAt: "2026-11-22T10:00:00.000Z", durationMs: 420, passRate: 0.5, misses: [], cassettesWritten: [],
  totals: { cases: 4, passed: 2, failed: 1, errors: 1, costUsd: 0.0031, misses: 0 },
  cases: [
    kase("a double charge goes to billing", "pass", 0.000412, 812),
    kase("a crash goes to <technical> & co", "fail", 0.000388, 640, "`queue` is \"sales\", expected \"technical\""),
    kase("an outage", "error", 0, 0, "the call failed: E_ALL_MODELS_FAILED: every model failed"),
    kase("pricing goes to sales", "pass", 0.0019, 1500),
  ],
};

const dir = mkdtempSync(join(tmpdir(), "promptc-html-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The DOM after the page's script ran. */
function dom(file: string, hash = ""): string {
  const r = spawnSync(chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${join(dir, "profile")}`, "--dump-dom", pathToFileURL(file).href + hash], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!chromium)("the HTML report, in headless Chromium", () => {
  const file = join(dir, "report.html");
  writeFileSync(file, renderHtml(verdict(results, 0.9)));

  it("shows every case with its verdict, cost and latency", () => {
    const page = dom(file);
    expect(page).toContain("<title>promptc eval: failed (50.0%)</title>");
    expect(page.match(/<tr class="(pass|fail|error)" data-status=/g)).toHaveLength(4);
    expect(page).toContain('<td class="num cost">$0.000412</td>');
    expect(page).toContain('<td class="num latency">812 ms</td>');
    expect(page).toContain('<td class="num cost">$0.001900</td>');
    expect(page).toContain("a crash goes to &lt;technical&gt; &amp; co");
    expect(page).toContain("`queue` is \"sales\", expected \"technical\"");
    expect(page).toContain('id="shown">4 of 4 cases shown');
    expect(page).not.toMatch(/<tr [^>]*hidden/);
  });

  it("filters to the failed cases when opened at #failed", () => {
    const page = dom(file, "#failed");
    expect(page).toContain('id="shown">2 of 4 cases shown');
    expect(page.match(/<tr class="pass" data-status="pass" hidden="">/g)).toHaveLength(2);
    expect(page).toMatch(/<tr class="fail" data-status="fail">/);
    expect(page).toMatch(/<button type="button" data-filter="failed" aria-pressed="true">/);
  });
});
