// The terminal table: a line per case, the reasons under each case that did not pass.
import { caseCost, failureReasons, ms, summaryLine, type EvalReport } from "./report.js";

export function renderTable(r: EvalReport, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const mark = { pass: paint(32, "PASS"), fail: paint(31, "FAIL"), error: paint(31, "ERR ") };
  const rows = r.cases.map((c) => [`${c.promptId} v${c.version}`, c.name, r.repeat > 1 ? `${c.passedRuns}/${c.runs.length}` : "", caseCost(c), ms(c.latencyMs)]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), 0));
  const lines: string[] = [];
  r.cases.forEach((c, i) => {
    const row = rows[i]!;
    lines.push(`${mark[c.status]}  ${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2] ? `${row[2].padStart(widths[2]!)}  ` : ""}${row[3]!.padStart(widths[3]!)}  ${row[4]!.padStart(7)}`);
    if (c.status !== "pass") for (const reason of failureReasons(c)) lines.push(`      ${paint(2, c.at)}  ${reason}`);
  });
  const verdict = r.ok ? paint(32, "eval passed") : paint(31, "eval failed");
  return `${lines.join("\n")}\n\n${verdict}: ${summaryLine(r)}\n`;
}
