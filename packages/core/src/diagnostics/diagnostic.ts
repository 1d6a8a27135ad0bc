// Diagnostics: what every stage of the compiler reports instead of throwing.
import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning";

/** A range in a source file, as character offsets into `text`. */
export interface SourceSpan {
  /** Path as shown to the user (relative to the project root). */
  file: string;
  /** The whole text of the file; spans share the string, they do not copy it. */
  text: string;
  start: number;
  end: number;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span?: SourceSpan | undefined;
  /** One line telling the user what to do ("did you mean …", "bump version to 4"). */
  help?: string | undefined;
}

/** Collects diagnostics; stages append, callers decide whether errors stop the build. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  error(code: DiagnosticCode, message: string, span?: SourceSpan, help?: string): void {
    this.items.push({ code, severity: "error", message, span, help });
  }

  warning(code: DiagnosticCode, message: string, span?: SourceSpan, help?: string): void {
    this.items.push({ code, severity: "warning", message, span, help });
  }

  push(...diagnostics: Diagnostic[]): void {
    this.items.push(...diagnostics);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === "error").length;
  }
}

/** Thrown only across API boundaries that cannot return a bag (e.g. compileSchema). */
export class CompileError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
    this.name = "CompileError";
    this.diagnostics = diagnostics;
  }
}
