// Renders diagnostics like a compiler: code, --> file:line:col, code frame, help, count.
import type { Diagnostic } from "./diagnostic.js";
import { locationOf, positionAt } from "./position.js";

export interface FormatOptions {
  color: boolean;
}

const paint = (on: boolean, open: number, close: number) => (s: string) =>
  on ? `\u001b[${open}m${s}\u001b[${close}m` : s;

export function formatDiagnostic(d: Diagnostic, opts: FormatOptions): string {
  const red = paint(opts.color, 31, 39);
  const yellow = paint(opts.color, 33, 39);
  const blue = paint(opts.color, 34, 39);
  const bold = paint(opts.color, 1, 22);
  const head = d.severity === "error" ? red(`error[${d.code}]`) : yellow(`warning[${d.code}]`);
  const lines = [`${bold(head)}${bold(": " + d.message)}`];
  if (d.span) {
    const { text, start, end } = d.span;
    const from = positionAt(text, start);
    const to = positionAt(text, Math.max(start, end));
    lines.push(`  ${blue("-->")} ${locationOf(d.span)}`);
    const srcLine = text.split(/\r?\n/)[from.line - 1] ?? "";
    const gutter = String(from.line).length;
    const pad = " ".repeat(gutter);
    const width = to.line === from.line ? Math.max(1, to.col - from.col) : Math.max(1, srcLine.length - from.col + 1);
    const marker = d.severity === "error" ? red : yellow;
    lines.push(`${pad} ${blue("|")}`);
    lines.push(`${blue(String(from.line))} ${blue("|")} ${srcLine}`);
    lines.push(`${pad} ${blue("|")} ${" ".repeat(from.col - 1)}${marker("^".repeat(width))}`);
  }
  if (d.help) lines.push(`  ${blue("=")} help: ${d.help}`);
  return lines.join("\n");
}

export function formatSummary(diagnostics: readonly Diagnostic[], opts: FormatOptions): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const parts: string[] = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  const text = parts.join(", ");
  return errors ? paint(opts.color, 31, 39)(text) : paint(opts.color, 33, 39)(text);
}

/** All diagnostics, errors first, then the count line. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], opts: FormatOptions): string {
  if (diagnostics.length === 0) return "";
  const sorted = [...diagnostics].sort(compareDiagnostics);
  return sorted.map((d) => formatDiagnostic(d, opts)).join("\n\n") + "\n\n" + formatSummary(sorted, opts) + "\n";
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.severity !== b.severity) return a.severity === "error" ? -1 : 1;
  const fa = a.span?.file ?? "";
  const fb = b.span?.file ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.span?.start ?? 0) - (b.span?.start ?? 0);
}
