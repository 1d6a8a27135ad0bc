// Eval cases and assertions: what each written form compiles to, and a coded error at the
// line for each kind of mistake (snapshot-tested, NO_COLOR form).
import { describe, expect, it } from "vitest";
import { DiagnosticBag, formatDiagnostics } from "../diagnostics/index.js";
import { compilePrompt } from "../project/compile-prompt.js";
import type { ResolvedConfig } from "../project/config.js";
import { loadConfig } from "../project/config.js";
import { BASIC_CONFIG, tempProject } from "../testing/temp-project.js";
import { collectEvalCases, compileEvalFile } from "./eval-file.js";
import type { PromptIR } from "../ir/prompt-ir.js";

const project = tempProject({ "promptc.config.yaml": BASIC_CONFIG });
const config = loadConfig(project.dir, `${project.dir}/promptc.config.yaml`, new DiagnosticBag()) as ResolvedConfig;
project.remove();

const ROUTE = `version: 1
model: { tier: fast, max_tokens: 100 }
input:
  ticket: string
output:
  queue(enum): [billing, technical]
  confidence: number
  summary: string
  tags(array): string
messages:
  - user: "{{ticket}}"
`;
const JUDGE = `version: 1
model: { tier: fast, max_tokens: 100 }
input:
  output: string
  criteria?: string
output:
  pass: boolean
  score?: number
  reason: string
messages:
  - user: "{{output}} {{criteria}}"
`;

function compile(id: string, text: string, diagnostics = new DiagnosticBag()): PromptIR | undefined {
  return compilePrompt({ id, source: `prompts/${id}.prompt.yaml`, text }, { config, loadPartial: () => undefined, diagnostics })?.ir;
}

const withTests = (assertYaml: string) => `${ROUTE}tests:\n  - name: t\n    input: { ticket: x }\n    assert:\n${assertYaml}`;

describe("assertions compile", () => {
  const ok: [string, string, object][] = [
    ["equals, whole output", "      - equals: { queue: billing, confidence: 1, summary: s, tags: [] }", { type: "equals", negate: false, path: [] }],
    ["matches, partial", "      - matches: { queue: billing }", { type: "matches", value: { queue: "billing" } }],
    ["contains at a path", "      - contains: refund\n        path: summary", { type: "contains", path: ["summary"], value: "refund" }],
    ["not-contains", "      - not-contains: sorry\n        path: summary", { type: "contains", negate: true }],
    ["regex with flags", "      - regex: '^charged'\n        flags: i\n        path: summary", { type: "regex", flags: "i" }],
    ["range", "      - range: { min: 0.5 }\n        path: confidence", { type: "range", value: { min: 0.5 } }],
    ["schema-valid", "      - schema-valid: true", { type: "schema-valid", value: true }],
    ["js", "      - js: output.confidence > 0.5 && input.ticket.length > 0", { type: "js" }],
    ["similar with a threshold", "      - similar: charged twice\n        path: summary\n        threshold: 0.6", { type: "similar", threshold: 0.6 }],
    ["judge with criteria", "      - judge: judge\n        criteria: polite", { type: "judge", value: "judge", criteria: "polite" }],
    ["max-cost", "      - max-cost: 0.002", { type: "max-cost", value: 0.002 }],
    ["max-latency as a duration", "      - max-latency: 2s", { type: "max-latency", value: 2000 }],
    ["an index into a list", "      - equals: urgent\n        path: tags.0", { path: ["tags", 0] }],
  ];
  for (const [name, yaml, want] of ok) {
    it(name, () => {
      const d = new DiagnosticBag();
      const ir = compile("route", withTests(yaml), d);
      expect(formatDiagnostics(d.items, { color: false })).toBe("");
      expect(ir!.tests[0]!.assert[0]).toMatchObject(want);
      expect(ir!.tests[0]!.assert[0]!.at).toMatch(/^prompts\/route\.prompt\.yaml:\d+:\d+$/);
    });
  }
});

describe("bad eval input", () => {
  const bad: [string, string, string][] = [
    ["unknown assertion type", "PC1503", withTests("      - contians: refund")],
    ["a path the output does not have", "PC1504", withTests("      - contains: refund\n        path: sumary")],
    ["an invalid regex", "PC1504", withTests("      - regex: '(unclosed'")],
    ["a js expression that does not parse", "PC1504", withTests("      - js: output.confidence >")],
    ["a modifier that does not apply", "PC1504", withTests("      - max-cost: 0.1\n        path: summary")],
    ["an equals that can never hold", "PC1504", withTests("      - equals: sales\n        path: queue")],
    ["two types in one entry", "PC1504", withTests("      - contains: a\n        regex: b")],
    ["range over text", "PC1504", withTests("      - range: { min: 1 }\n        path: summary")],
  ];
  for (const [name, code, text] of bad) {
    it(name, async () => {
      const d = new DiagnosticBag();
      expect(compile("route", text, d)).toBeUndefined();
      expect(d.items.map((x) => x.code)).toEqual([code]);
      const out = formatDiagnostics(d.items, { color: false });
      expect(out).toMatch(/--> prompts\/route\.prompt\.yaml:\d+:\d+/);
      await expect(out).toMatchFileSnapshot(`./__snapshots__/errors/${name.replace(/[^a-z0-9]+/gi, "-")}.txt`);
    });
  }
});

describe("eval files", () => {
  const prompts = [compile("support/route", ROUTE)!, compile("judge", JUDGE)!];
  const byId = new Map(prompts.map((p) => [p.id, p]));
  const file = (text: string) => ({ source: "prompts/support/route.eval.yaml", text });

  it("give each case the suite's assertions, then its own", () => {
    const d = new DiagnosticBag();
    const cases = compileEvalFile(file(`prompt: support/route
assert:
  - schema-valid: true
cases:
  - name: billing
    input: { ticket: charged twice }
    expect: { queue: billing }
    assert:
      - judge: judge
`), byId, d);
    expect(d.items).toEqual([]);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ promptId: "support/route", name: "billing", expect: { queue: "billing" }, at: "prompts/support/route.eval.yaml:5:5" });
    expect(cases[0]!.assert.map((a) => a.type)).toEqual(["schema-valid", "judge"]);
  });

  const bad: [string, string, string][] = [
    ["an eval file for a prompt that does not exist", "PC1505", "prompt: support/rout\ncases:\n  - { name: a, input: { ticket: x } }\n"],
    ["an eval case whose input does not match", "PC1501", "prompt: support/route\ncases:\n  - { name: a, input: { ticekt: x } }\n"],
    ["a malformed eval file", "PC1002", "prompt: support/route\ncase:\n  - { name: a, input: { ticket: x } }\n"],
    ["a judge that does not exist", "PC1505", "prompt: support/route\ncases:\n  - name: a\n    input: { ticket: x }\n    assert:\n      - judge: judg\n"],
    ["two cases with one name", "PC1501", "prompt: support/route\ncases:\n  - { name: a, input: { ticket: x } }\n  - { name: a, input: { ticket: y } }\n"],
    ["a prompt that cannot judge", "PC1506", "prompt: support/route\ncases:\n  - name: a\n    input: { ticket: x }\n    assert:\n      - judge: support/route\n"],
  ];
  for (const [name, code, text] of bad) {
    it(name, async () => {
      const d = new DiagnosticBag();
      collectEvalCases(prompts, [file(text)], d);
      expect(d.items.map((x) => x.code)).toContain(code);
      const out = formatDiagnostics(d.items, { color: false });
      expect(out).toMatch(/--> prompts\/support\/route\.eval\.yaml:\d+:\d+/);
      await expect(out).toMatchFileSnapshot(`./__snapshots__/errors/${name.replace(/[^a-z0-9]+/gi, "-")}.txt`);
    });
  }
});
