// Stable diagnostic codes. Never renumber: users search for them and CI logs quote them.
export const DIAGNOSTIC_CODES = {
  PC1001: "YAML syntax error",
  PC1002: "unknown key",
  PC1003: "invalid value",
  PC1004: "missing required key",
  PC1005: "file cannot be read",
  PC1101: "invalid schema",
  PC1102: "unknown named schema",
  PC1103: "schema keyword with no effect",
  PC1201: "template syntax error",
  PC1202: "undeclared template variable",
  PC1203: "unknown helper",
  PC1204: "missing partial",
  PC1205: "input never used by the template",
  PC1206: "unsupported template construct",
  PC1207: "value cannot be rendered as text",
  PC1301: "prompt changed without a version bump",
  PC1302: "version went backwards",
  PC1303: "duplicate prompt id",
  PC1304: "export name already taken by another prompt",
  PC1305: "prompt id ends with `.schemas`",
  PC1401: "unknown tier or provider",
  PC1402: "implausible model price",
  PC1403: "output schema past a provider's limit",
  PC1404: "constraint a provider's strict mode does not take",
  PC1405: "model shut down or shutting down",
  PC1406: "budget on a model without a price",
  PC1407: "output schema a provider's tool input rejects",
  PC1501: "invalid test case",
  PC1502: "invalid fallback value",
  PC1503: "unknown assertion type",
  PC1504: "invalid assertion",
  PC1505: "unknown prompt in an eval file or judge",
  PC1506: "prompt cannot be a judge",
  PC1601: "generated output is stale",
  PC1602: "lockfile is stale",
  PC1701: "review condition syntax error",
  PC1702: "unknown field in a review condition",
  PC1703: "type mismatch in a review condition",
  PC1704: "review falls back without a fallback value",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/**
 * Errors about versions and the lockfile rather than the prompts: every prompt still compiled, so
 * evals, diff and inspect go on (`promptc check` is what fails on them).
 */
export const VERSION_CODES: ReadonlySet<string> = new Set<DiagnosticCode>(["PC1301", "PC1302", "PC1602"]);

/** Generated output or the lockfile out of date: when these are the only errors, `build --check` exits 3 (stale), not 1. */
export const STALE_CODES: ReadonlySet<string> = new Set<DiagnosticCode>(["PC1601", "PC1602"]);
