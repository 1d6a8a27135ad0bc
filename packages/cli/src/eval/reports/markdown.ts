// Markdown, for a pull-request comment or a job summary.
import { caseCost, failureReasons, ms, summaryLine, type EvalReport } from "./report.js";
import { cellText as cell } from "../../markdown.js";

export function renderMarkdown(r: EvalReport): string {
  const lines = [`### promptc eval: ${r.ok ? "passed" : "failed"}`, "", summaryLine(r), "", "| | prompt | case | runs passed | cost | latency |", "|---|---|---|---|---|---|"];
  for (const c of r.cases) {
    lines.push(`| ${c.status === "pass" ? "✅" : c.status === "fail" ? "❌" : "⚠️"} | \`${c.promptId}\` v${c.version} | ${cell(c.name)} | ${c.passedRuns}/${c.runs.length} | ${caseCost(c)} | ${ms(c.latencyMs)} |`);
  }
  const failing = r.cases.filter((c) => c.status !== "pass");
  if (failing.length) {
    lines.push("", "<details open><summary>Why cases failed</summary>", "");
    for (const c of failing) {
      lines.push(`- **${cell(c.name)}** (\`${c.at}\`)`);
      for (const reason of failureReasons(c)) lines.push(`  - ${cell(reason)}`);
    }
    lines.push("", "</details>");
  }
  return lines.join("\n") + "\n";
}
