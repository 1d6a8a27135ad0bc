// One eval case (`tests:` in a prompt file, or `cases:` in an *.eval.yaml) → TestCaseIR,
// its input checked against the prompt's input schema and its assertions compiled.
import type { DiagnosticBag, SourceSpan } from "../diagnostics/index.js";
import type { TestCaseIR } from "../ir/prompt-ir.js";
import { reportValue } from "../schema/report-value.js";
import type { JsonValue, ObjectNode, SchemaNode } from "../schema/ir.js";
import type { SchemaPath } from "../schema/locate.js";
import { defineLazyAt, lazySpanAt, spanAt, type YamlSource } from "../source/yaml.js";
import { compileAssertions, type AssertionIR } from "./assertion.js";

export interface TestCaseSource {
  name: string;
  input: Record<string, unknown>;
  expect?: unknown;
  assert?: readonly unknown[] | undefined;
}

const SPANS = new WeakMap<TestCaseIR, SourceSpan>();
/** Where a case was written (kept outside the IR, which stays plain JSON). */
export const testCaseSpan = (t: TestCaseIR): SourceSpan | undefined => SPANS.get(t);

/** The case as one of `promptId`'s eval cases, keeping where it was written. */
export function caseOf<T extends TestCaseIR>(promptId: string, t: T): T & { promptId: string } {
  // Keeps `at` lazy: spreading would read it.
  const c = Object.defineProperties({ promptId } as T & { promptId: string }, Object.getOwnPropertyDescriptors(t));
  const span = SPANS.get(t);
  if (span) SPANS.set(c, span);
  return c;
}

export function compileTestCase(t: TestCaseSource, src: YamlSource, at: SchemaPath, input: ObjectNode | undefined, output: SchemaNode, diagnostics: DiagnosticBag, shared: AssertionIR[] = []): TestCaseIR {
  if (input) reportValue(input, t.input, (path, part) => spanAt(src, [...at, "input", ...path], part), "PC1501", `test \`${t.name}\` input`, diagnostics);
  if (t.expect !== undefined) {
    // `expect` on an object output is partial: each field given must be valid for that field.
    const partial: SchemaNode = output.kind === "object" ? { ...output, properties: output.properties.map((p) => ({ ...p, required: false })) } : output;
    reportValue(partial, t.expect, (path, part) => spanAt(src, [...at, "expect", ...path], part), "PC1501", `test \`${t.name}\` expect`, diagnostics);
  }
  const own = compileAssertions(t.assert ?? [], src, [...at, "assert"], output, diagnostics);
  // Where the case was written is worked out when a report or diagnostic first reads it.
  const ir = {
    name: t.name,
    input: t.input as Record<string, JsonValue>,
    ...(t.expect !== undefined ? { expect: t.expect as JsonValue } : {}),
    assert: [...shared, ...own],
  } as TestCaseIR;
  defineLazyAt(ir, lazySpanAt(src, at));
  SPANS.set(ir, lazySpanAt(src, [...at, "name"]));
  return ir;
}
