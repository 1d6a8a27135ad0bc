// The exit codes, in a module of their own: the command line's start (program.ts) needs them,
// and importing output.ts would load all of @promptc/core before any command runs.
export const EXIT = {
  OK: 0,
  /** Errors in prompt files or the config. */
  ERRORS: 1,
  /** Bad command line: unknown command, option or prompt id, unreadable input file. */
  USAGE: 2,
  /** `build --check`: generated output or lockfile is stale. */
  STALE: 3,
} as const;
