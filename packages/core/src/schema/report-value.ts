// Reports a value (fallback, test input or expectation) that its schema rejects, at its place in the file.
import { didYouMean, type DiagnosticBag, type SourceSpan } from "../diagnostics/index.js";
import { checkValue } from "./check-value.js";
import type { SchemaNode } from "./ir.js";

/** False when the schema rejects the value (reported); `span` is only computed then. */
export function reportValue(schema: SchemaNode, value: unknown, span: () => SourceSpan, code: "PC1501" | "PC1502", what: string, diagnostics: DiagnosticBag): boolean {
  const issue = checkValue(schema, value);
  if (issue) {
    const at = issue.path.length ? ` at \`${issue.path.join(".")}\`` : "";
    diagnostics.error(code, `${what} does not match the schema${at}: ${issue.message}`, span());
    return false;
  }
  if (schema.kind === "object" && schema.additional === false && value && typeof value === "object") {
    const extra = Object.keys(value).filter((k) => !schema.properties.some((p) => p.name === k));
    if (extra.length) {
      diagnostics.error(code, `${what} has field \`${extra[0]}\`, which the schema does not declare`, span(), didYouMean(extra[0]!, schema.properties.map((p) => p.name)));
      return false;
    }
  }
  return true;
}

