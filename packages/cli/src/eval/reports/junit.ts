// JUnit XML, for CI systems that show test results: a testsuite per prompt, a testcase per case.
import { failureReasons, type EvalReport } from "./report.js";

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

export function renderJunit(r: EvalReport): string {
  const suites = new Map<string, EvalReport["cases"]>();
  for (const c of r.cases) suites.set(c.promptId, [...(suites.get(c.promptId) ?? []), c]);
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="promptc eval" tests="${r.totals.cases}" failures="${r.totals.failed}" errors="${r.totals.errors}" time="${(r.durationMs / 1000).toFixed(3)}">`];
  for (const [id, cases] of suites) {
    const failures = cases.filter((c) => c.status === "fail").length;
    const errors = cases.filter((c) => c.status === "error").length;
    out.push(`  <testsuite name="${xml(id)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(cases.reduce((s, c) => s + c.latencyMs, 0) / 1000).toFixed(3)}">`);
    for (const c of cases) {
      out.push(`    <testcase classname="${xml(`${id} v${c.version}`)}" name="${xml(c.name)}" file="${xml(c.at.replace(/:\d+:\d+$/, ""))}" time="${(c.latencyMs / 1000).toFixed(3)}">`);
      const reasons = failureReasons(c).join("\n");
      if (c.status === "fail") out.push(`      <failure message="${xml(reasons.split("\n")[0] ?? "")}">${xml(`${c.at}\n${reasons}`)}</failure>`);
      if (c.status === "error") out.push(`      <error message="${xml(reasons.split("\n")[0] ?? "")}">${xml(`${c.at}\n${reasons}`)}</error>`);
      out.push(`      <properties><property name="cost_usd" value="${c.costUsd}"/><property name="runs_passed" value="${c.passedRuns}/${c.runs.length}"/></properties>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}
