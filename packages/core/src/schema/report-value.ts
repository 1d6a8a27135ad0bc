// Reports a value (fallback, test input or expectation) that its schema rejects, at the place
// in the file the problem is: the misspelt key, the wrong value, with a "did you mean" where one
// is close.
import { closest, didYouMean, type DiagnosticBag, type SourceSpan } from "../diagnostics/index.js";
import { checkValue } from "./check-value.js";
import type { ObjectNode, SchemaNode } from "./ir.js";

/** Points into the value: a path below its root, at the key or the value there. */
export type ValueLocator = (path: (string | number)[], part?: "key" | "value") => SourceSpan;

/** False when the schema rejects the value (reported); the locator is only called then. */
export function reportValue(schema: SchemaNode, value: unknown, locate: ValueLocator, code: "PC1501" | "PC1502", what: string, diagnostics: DiagnosticBag): boolean {
  const issue = checkValue(schema, value);
  if (issue) {
    const at = issue.path.length ? ` at \`${issue.path.join(".")}\`` : "";
    const parentPath = issue.path.slice(0, -1);
    const name = issue.path.at(-1);
    // A required field missing beside an undeclared one spelt like it: the misspelling is the problem.
    if (issue.message === "required field is missing" && typeof name === "string") {
      const parent = objectAt(schema, parentPath);
      const given = valueAt(value, parentPath);
      const typo = parent && given && typeof given === "object" ? Object.keys(given).find((k) => !declares(parent, k) && closest(k, [name]) === name) : undefined;
      if (typo) {
        diagnostics.error(code, `${what} has \`${typo}\`, which ${parentPath.length ? `\`${parentPath.join(".")}\`` : "the schema"} does not declare, and no \`${name}\``, locate([...parentPath, typo], "key"), `did you mean \`${name}\`?`);
        return false;
      }
      diagnostics.error(code, `${what} does not match the schema${at}: ${issue.message}`, locate(parentPath));
      return false;
    }
    // A value that is wrong: point at it; for a misspelt enum value, name the one meant.
    const node = nodeAt(schema, issue.path);
    const got = valueAt(value, issue.path);
    const hint = node?.kind === "enum" && typeof got === "string" ? didYouMean(got, node.values.filter((v): v is string => typeof v === "string")) : undefined;
    diagnostics.error(code, `${what} does not match the schema${at}: ${issue.message}`, locate(issue.path), hint);
    return false;
  }
  if (schema.kind === "object" && schema.additional === false && value && typeof value === "object") {
    const extra = Object.keys(value).filter((k) => !declares(schema, k));
    if (extra.length) {
      diagnostics.error(code, `${what} has field \`${extra[0]}\`, which the schema does not declare`, locate([extra[0]!], "key"), didYouMean(extra[0]!, schema.properties.map((p) => p.name)));
      return false;
    }
  }
  return true;
}

const declares = (o: ObjectNode, key: string) => o.properties.some((p) => p.name === key);

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of path) v = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

/** The schema node at a path through objects and lists (unions are not followed). */
function nodeAt(schema: SchemaNode, path: readonly (string | number)[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const seg of path) {
    if (node?.kind === "object") node = node.properties.find((p) => p.name === seg)?.schema ?? (typeof node.additional === "object" ? node.additional : undefined);
    else if (node?.kind === "array") node = node.items;
    else return undefined;
  }
  return node;
}

function objectAt(schema: SchemaNode, path: readonly (string | number)[]): ObjectNode | undefined {
  const n = nodeAt(schema, path);
  return n?.kind === "object" ? n : undefined;
}
