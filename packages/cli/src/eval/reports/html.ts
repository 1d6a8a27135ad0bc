// A standalone HTML report: one file, no network, readable without JavaScript. A small script
// adds filtering (all, failed); `report.html#failed` opens it filtered.
import { caseCost, failureReasons, ms, percent, summaryLine, type EvalReport } from "./report.js";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.4rem;margin:0 0 .25rem}.summary{color:#57606a;margin:0 0 1rem}
.verdict.ok{color:#1a7f37}.verdict.bad{color:#cf222e}
nav button{font:inherit;padding:.2rem .7rem;margin-right:.3rem;border:1px solid #d0d7de;background:#f6f8fa;border-radius:6px;cursor:pointer}
nav button[aria-pressed=true]{background:#0969da;color:#fff;border-color:#0969da}
table{border-collapse:collapse;width:100%;margin-top:1rem}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #d8dee4;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.pass .status{color:#1a7f37}tr.fail .status,tr.error .status{color:#cf222e;font-weight:600}
ul.reasons{margin:.3rem 0 0;padding-left:1.1rem;color:#cf222e}details{margin-top:.3rem}code{font-size:12px}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.4rem;border-radius:6px;max-height:12rem;overflow:auto}`;

const SCRIPT = `(function(){
  var rows=document.querySelectorAll("tbody tr[data-status]");
  var buttons=document.querySelectorAll("nav button");
  function show(filter){
    var shown=0;
    rows.forEach(function(r){var hide=filter==="failed"&&r.dataset.status==="pass";r.hidden=hide;if(!hide)shown++;});
    buttons.forEach(function(b){b.setAttribute("aria-pressed",String(b.dataset.filter===filter));});
    document.getElementById("shown").textContent=shown+" of "+rows.length+" cases shown";
  }
  buttons.forEach(function(b){b.addEventListener("click",function(){history.replaceState(null,"",b.dataset.filter==="failed"?"#failed":"#");show(b.dataset.filter);});});
  show(location.hash==="#failed"?"failed":"all");
})();`;

export function renderHtml(r: EvalReport): string {
  const rows = r.cases.map((c) => {
    const reasons = failureReasons(c);
    const assertions = c.runs.map((run, i) => `<li>run ${i + 1}: ${run.pass ? "pass" : "fail"}${run.error ? ` — ${esc(run.error)}` : ""}<ul>${run.assertions.map((a) => `<li>${a.pass ? "✓" : "✗"} <code>${esc(a.type)}${a.path ? ` ${esc(a.path)}` : ""}</code> ${esc(a.reason)}</li>`).join("")}</ul></li>`).join("");
    const output = c.runs.find((x) => !x.pass)?.output ?? c.runs[0]?.output;
    return `<tr class="${c.status}" data-status="${c.status}">
<td class="status">${c.status.toUpperCase()}</td>
<td><code>${esc(c.promptId)}</code> v${c.version}</td>
<td>${esc(c.name)}<br><small><code>${esc(c.at)}</code></small>${reasons.length ? `<ul class="reasons">${reasons.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>` : ""}<details><summary>runs and output</summary><ul>${assertions}</ul><pre>${esc(JSON.stringify(output, null, 2) ?? "")}</pre></details></td>
<td class="num">${c.passedRuns}/${c.runs.length}</td>
<td class="num cost">${caseCost(c)}</td>
<td class="num latency">${ms(c.latencyMs)}</td>
</tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>promptc eval: ${r.ok ? "passed" : "failed"} (${percent(r.passRate)})</title>
<style>${STYLE}</style></head>
<body>
<h1>promptc eval: <span class="verdict ${r.ok ? "ok" : "bad"}">${r.ok ? "passed" : "failed"}</span></h1>
<p class="summary" id="summary">${esc(summaryLine(r))} · ${esc(r.startedAt)} · ${Math.round(r.durationMs)} ms</p>
<nav><button type="button" data-filter="all" aria-pressed="true">All</button><button type="button" data-filter="failed">Failed (${r.totals.failed + r.totals.errors})</button> <span id="shown">${r.cases.length} of ${r.cases.length} cases shown</span></nav>
<table><thead><tr><th>status</th><th>prompt</th><th>case</th><th class="num">runs passed</th><th class="num">cost</th><th class="num">latency</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>
<script>${SCRIPT}</script>
</body></html>
`;
}
