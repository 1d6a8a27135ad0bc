// The JSON report: everything, for tools (dashboards, scripts, other CI steps).
import type { EvalReport } from "./report.js";

const REPORT_FORMAT = "promptc-eval-report/1";

export function renderJson(r: EvalReport): string {
  return JSON.stringify({ format: REPORT_FORMAT, ...r }, null, 2) + "\n";
}
