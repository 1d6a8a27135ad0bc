// Terminal output: colour only for a TTY, and never when NO_COLOR is set.
import { formatDiagnostics, type Diagnostic } from "@promptc/core";

export function useColor(stream: NodeJS.WriteStream = process.stderr): boolean {
  if (process.env["NO_COLOR"]) return false;
  if (process.env["FORCE_COLOR"] && process.env["FORCE_COLOR"] !== "0") return true;
  return !!stream.isTTY;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  const text = formatDiagnostics(diagnostics, { color: useColor() });
  if (text) process.stderr.write(text);
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  OK: 0,
  /** Errors in prompt files or the config. */
  ERRORS: 1,
  /** Bad command line: unknown command, option or prompt id, unreadable input file. */
  USAGE: 2,
  /** `build --check`: generated output or lockfile is stale. */
  STALE: 3,
} as const;
