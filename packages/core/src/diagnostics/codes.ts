// Stable diagnostic codes. Never renumber: users search for them and CI logs quote them.
export const DIAGNOSTIC_CODES = {
  PC1001: "YAML syntax error",
  PC1002: "unknown key",
  PC1003: "invalid value",
  PC1004: "missing required key",
  PC1005: "file cannot be read",
  PC1101: "invalid schema",
  PC1102: "unknown named schema",
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
  PC1304: "function name adjusted to avoid a clash",
  PC1305: "prompt id ends with `.schemas`",
  PC1401: "unknown tier or provider",
  PC1501: "invalid test case",
  PC1502: "invalid fallback value",
  PC1601: "generated output is stale",
  PC1602: "lockfile is stale",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
