// Every kind of bad input gets a coded error with file:line:col and a code frame, and the
// build writes nothing. The formatted output is snapshot-tested (NO_COLOR form).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostics } from "../diagnostics/index.js";
import { BASIC_CONFIG, tempProject, type TempProject } from "../testing/temp-project.js";
import { ProjectBuilder } from "./builder.js";

const GOOD = `version: 1
model: { tier: fast, max_tokens: 100 }
input:
  customer_tier(enum): [free, pro]
  ticket: string
messages:
  - user: "{{customer_tier}}: {{ticket}}"
`;

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

function build(files: Record<string, string>, prebuild?: Record<string, string>, today?: Date) {
  const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, ...(prebuild ?? files) });
  projects.push(p);
  if (prebuild) {
    const first = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build();
    expect(first.ok, formatDiagnostics(first.diagnostics, { color: false })).toBe(true);
    p.commit(); // versions are frozen once committed
    for (const [path, text] of Object.entries(files)) p.write(path, text);
  }
  const before = existsSync(join(p.dir, "out")) ? "existed" : "absent";
  const result = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml"), today ? { today } : {}).build();
  const text = formatDiagnostics(result.diagnostics, { color: false }).split(p.dir + "/").join("").replace(/packages\/core\/\.test-projects\/p-\w+\//g, "");
  return { result, text, outBefore: before, outAfter: existsSync(join(p.dir, "out")) ? "existed" : "absent" };
}

type Case = [name: string, { files: Record<string, string>; prebuild?: Record<string, string>; code: string }];

const cases: Case[] = [
  ["broken YAML", { code: "PC1001", files: { "prompts/a.prompt.yaml": "version: 1\nmodel: { tier: fast, max_tokens: 100\nmessages:\n  - user: hi\n" } }],
  ["unknown key, with a suggestion", { code: "PC1002", files: { "prompts/a.prompt.yaml": GOOD.replace("model:", "modle: { tier: fast, max_tokens: 1 }\nmodel:") } }],
  ["unknown message role", { code: "PC1002", files: { "prompts/a.prompt.yaml": GOOD.replace("- user:", "- usr:") } }],
  ["missing required key", { code: "PC1004", files: { "prompts/a.prompt.yaml": GOOD.replace("model: { tier: fast, max_tokens: 100 }", "model: { tier: fast }") } }],
  ["value of the wrong type", { code: "PC1003", files: { "prompts/a.prompt.yaml": GOOD.replace("version: 1", "version: two") } }],
  ["a review condition on a misspelt output field", { code: "PC1702", files: { "prompts/a.prompt.yaml": GOOD + "output: { queue(enum): [billing, abuse], confidence: number }\nreview: { when: 'output.confidnce < 0.8 or output.queue == \"abuse\"' }\n" } }],
  ["a review condition comparing an enum with a value it lacks", { code: "PC1703", files: { "prompts/a.prompt.yaml": GOOD + "output: { queue(enum): [billing, abuse], confidence: number }\nreview:\n  when: output.queue == \"abuze\"\n" } }],
  ["a review condition ordering text", { code: "PC1703", files: { "prompts/a.prompt.yaml": GOOD + "output: { queue(enum): [billing, abuse], confidence: number }\nreview:\n  when: |\n    output.confidence < 0.8\n      and input.ticket > 3\n" } }],
  ["a review condition over fields of a text output", { code: "PC1702", files: { "prompts/a.prompt.yaml": GOOD + "review: { when: output.confidence < 0.5 }\n" } }],
  ["a review condition that does not parse", { code: "PC1701", files: { "prompts/a.prompt.yaml": GOOD + "output: { confidence: number }\nreview: { when: output.confidence = 0.5 }\n" } }],
  ["a review that falls back without a fallback value", { code: "PC1704", files: { "prompts/a.prompt.yaml": GOOD + "review: { when: always, on_timeout: fallback }\n" } }],
  ["a review timeout that does not parse", { code: "PC1003", files: { "prompts/a.prompt.yaml": GOOD + "review: { when: always, timeout: one day }\n" } }],
  ["a job max_age that does not parse", { code: "PC1003", files: { "prompts/a.prompt.yaml": GOOD + "job: { max_age: 2 weeks }\n" } }],
  ["undeclared template variable", { code: "PC1202", files: { "prompts/a.prompt.yaml": GOOD.replace('"{{customer_tier}}: {{ticket}}"', "|\n      Tier: {{custmer_tier}}\n      Ticket: {{ticket}}") } }],
  ["unknown helper", { code: "PC1203", files: { "prompts/a.prompt.yaml": GOOD.replace('{{ticket}}"', '{{upper ticket}}"') } }],
  ["missing partial", { code: "PC1204", files: { "prompts/a.prompt.yaml": GOOD.replace('{{ticket}}"', '{{ticket}} {{> footer}}"') } }],
  ["object rendered as text", { code: "PC1207", files: { "prompts/a.prompt.yaml": GOOD.replace("ticket: string", "ticket(object): { body: string }") } }],
  ["template syntax error", { code: "PC1201", files: { "prompts/a.prompt.yaml": GOOD.replace('"{{customer_tier}}: {{ticket}}"', '"{{#if ticket}}open"') } }],
  ["unknown tier", { code: "PC1401", files: { "prompts/a.prompt.yaml": GOOD.replace("tier: fast", "tier: fsat") } }],
  ["invalid fallback value", { code: "PC1502", files: { "prompts/a.prompt.yaml": GOOD + "output: { queue(enum): [a, b] }\nfallback: { value: { queue: c } }\n" } }],
  ["changed without a version bump", { code: "PC1301", prebuild: { "prompts/a.prompt.yaml": GOOD }, files: { "prompts/a.prompt.yaml": GOOD.replace('{{ticket}}"', 'Ticket: {{ticket}}"') } }],
  ["a new prompt whose export name another prompt has", { code: "PC1304", prebuild: { "prompts/reviews/classify.prompt.yaml": GOOD }, files: { "prompts/reviews-classify.prompt.yaml": "# yaml-language-server: $schema=../schema.json\n" + GOOD } }],
  ["max_tokens in quotes", { code: "PC1003", files: { "prompts/a.prompt.yaml": GOOD.replace("max_tokens: 100", 'max_tokens: "100"') } }],
  ["a type named as in another language", { code: "PC1102", files: { "prompts/a.prompt.yaml": GOOD.replace("ticket: string", "ticket: int") } }],
  ["a misspelt key in a test's input", { code: "PC1501", files: { "prompts/a.prompt.yaml": GOOD + "tests:\n  - name: one\n    input: { customer_tier: pro, tikcet: hi }\n" } }],
  ["a misspelt enum value in a test's expect", { code: "PC1501", files: { "prompts/a.prompt.yaml": GOOD + "output: { queue(enum): [billing, technical] }\ntests:\n  - name: one\n    input: { customer_tier: pro, ticket: hi }\n    expect: { queue: biling }\n" } }],
  ["a block that is never closed", { code: "PC1201", files: { "prompts/a.prompt.yaml": GOOD.replace('"{{customer_tier}}: {{ticket}}"', "|\n      {{#if ticket}}\n      Ticket: {{ticket}}\n      {{customer_tier}}") + "tests:\n  - name: one\n    input: { customer_tier: pro, ticket: hi }\n" } }],
  ["an error inside a partial", { code: "PC1202", files: { "prompts/a.prompt.yaml": GOOD.replace('{{ticket}}"', '{{ticket}} {{> sig}}"'), "prompts/partials/sig.hbs": "-- {{agent_nme}}\n" } }],
  ["version went backwards", { code: "PC1302", prebuild: { "prompts/a.prompt.yaml": GOOD.replace("version: 1", "version: 3") }, files: { "prompts/a.prompt.yaml": GOOD.replace("version: 1", "version: 2") } }],
  ["two prompts with the same id", { code: "PC1303", files: { "prompts/a.prompt.yaml": GOOD, "prompts/a.prompt.yml": GOOD } }],
  ["an id that would clash with generated validator modules", { code: "PC1305", files: { "prompts/a.schemas.prompt.yaml": GOOD } }],
  ["unknown named schema", { code: "PC1102", files: { "prompts/a.prompt.yaml": GOOD + "output: { item: Itme }\n" } }],
  ["a misspelt JSON Schema keyword", { code: "PC1101", files: { "prompts/a.prompt.yaml": GOOD + "output:\n  type: object\n  properties:\n    name: { type: string, minLenght: 1 }\n" } }],
  ["an unsupported JSON Schema keyword", { code: "PC1101", files: { "prompts/a.prompt.yaml": GOOD + "output:\n  type: object\n  properties:\n    tags: { type: array, contains: { const: urgent } }\n" } }],
  ["an invalid pattern", { code: "PC1101", files: { "prompts/a.prompt.yaml": GOOD + "output:\n  type: object\n  properties:\n    code: { type: string, pattern: \"^[A-Z\" }\n" } }],
  ["a draft-4 exclusiveMinimum", { code: "PC1101", files: { "prompts/a.prompt.yaml": GOOD + "output:\n  type: object\n  properties:\n    n: { type: number, minimum: 0, exclusiveMinimum: true }\n" } }],
  ["a keyword beside anyOf", { code: "PC1101", files: { "prompts/a.prompt.yaml": GOOD + "output:\n  type: object\n  properties:\n    v: { minLength: 1, anyOf: [{ type: string }, { type: number }] }\n" } }],
  ["a property named __proto__", { code: "PC1101", files: { "prompts/a.prompt.yaml": GOOD + "output:\n  __proto__: string\n" } }],
];

describe("bad input", () => {
  for (const [name, c] of cases) {
    it(name, async () => {
      const { result, text, outBefore, outAfter } = build(c.files, c.prebuild);
      expect(result.ok).toBe(false);
      expect(result.diagnostics.map((d) => d.code)).toContain(c.code);
      expect(text).toMatch(/--> prompts\/[\w./-]+\.(prompt\.ya?ml|hbs):\d+:\d+/);
      expect(text).toMatch(/\d+ \| .*\n\s+\| \s*\^+/);
      expect(text).toMatch(/\d+ errors?/);
      expect(outAfter).toBe(outBefore);
      await expect(text).toMatchFileSnapshot(`./__snapshots__/errors/${name.replace(/[^a-z0-9]+/gi, "-")}.txt`);
    });
  }

  it("warns, at the keyword, where a JSON Schema keyword constrains a type the value may not have", async () => {
    const { result, text } = build({ "prompts/a.prompt.yaml": GOOD + "output:\n  type: object\n  properties:\n    age: { minimum: 0 }\n    tag: { type: string, enum: [a, 1] }\n    n: { type: string, maximum: 3 }\n" });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning PC1103", "warning PC1103", "warning PC1103"]);
    await expect(text).toMatchFileSnapshot("./__snapshots__/errors/keywords-with-no-effect.txt");
  });

  it("says which constraints OpenAI's strict mode does not take, and that they are checked on the reply", async () => {
    const { result, text } = build({ "prompts/a.prompt.yaml": GOOD.replace("tier: fast", "tier: fast, fallbacks: [openai:gpt-5.4-mini]") + "output:\n  type: object\n  properties:\n    name: { type: string, minLength: 1 }\n    tags: { type: array, items: { type: string }, uniqueItems: true }\n  required: [name, tags]\n  additionalProperties: false\n" });
    expect(result.diagnostics.filter((d) => d.code === "PC1404")).toHaveLength(1);
    await expect(text).toMatchFileSnapshot("./__snapshots__/errors/openai-strict-local-checks.txt");
  });

  describe("models that shut down", () => {
    const DEC_3 = new Date("2026-12-03T09:00:00Z");
    const config = (tiers: string) => BASIC_CONFIG.replace(/tiers:\n(  .*\n)+/, `tiers:\n${tiers}`);
    it("a tier naming a model that has shut down fails the build at the config's line, naming the replacement", async () => {
      const { result, text } = build({ "promptc.config.yaml": config("  fast: [openai:o4-mini, anthropic:claude-haiku-4-5]\n"), "prompts/a.prompt.yaml": GOOD }, undefined, DEC_3);
      expect(result.ok).toBe(false);
      expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["error PC1405"]);
      await expect(text).toMatchFileSnapshot("./__snapshots__/errors/model-shut-down.txt");
    });

    it("one that shuts down within 30 days is a warning with the date; after that day, an error", async () => {
      const files = { "promptc.config.yaml": config("  fast: [openai:gpt-5-mini]\n"), "prompts/a.prompt.yaml": GOOD };
      const warned = build(files, undefined, DEC_3);
      expect(warned.result.ok).toBe(true);
      expect(warned.result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning PC1405"]);
      await expect(warned.text).toMatchFileSnapshot("./__snapshots__/errors/model-shutting-down.txt");
      expect(build(files, undefined, new Date("2026-11-10T00:00:00Z")).result.diagnostics).toEqual([]); // 31 days before
      expect(build(files, undefined, new Date("2026-12-11T00:00:00Z")).result.ok).toBe(false);
    });

    it("a shut-down model a prompt names itself is reported at the prompt's line", () => {
      const { result, text } = build({ "prompts/a.prompt.yaml": GOOD.replace("tier: fast", "tier: fast, fallbacks: [anthropic:claude-opus-4-1-20250805]") }, undefined, DEC_3);
      expect(result.ok).toBe(false);
      expect(text).toMatch(/error\[PC1405\]: `anthropic:claude-opus-4-1-20250805` names anthropic:claude-opus-4-1, which shut down on 2026-08-05/);
      expect(text).toContain("--> prompts/a.prompt.yaml:2:");
      expect(text).toContain("anthropic:claude-opus-4-7");
    });
  });

  it("warns when a budget covers a model promptc has no price for", () => {
    const { result, text } = build({ "prompts/a.prompt.yaml": GOOD.replace("tier: fast", "tier: fast, fallbacks: [anthropic:claude-opus-4-8]") + "budget: { per_call_usd: 0.01 }\n" });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning PC1406"]);
    expect(text).toMatch(/`budget:` cannot limit anthropic:claude-opus-4-8: promptc has no price for it/);
    expect(text).toContain("under `prices:` in promptc.config.yaml");
  });

  it("keeps the last good output when a prompt breaks", () => {
    const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, "prompts/a.prompt.yaml": GOOD });
    projects.push(p);
    const builder = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml"));
    expect(builder.build().ok).toBe(true);
    p.write("prompts/a.prompt.yaml", GOOD.replace("{{ticket}}", "{{tikcet}}"));
    const broken = builder.build();
    expect(broken.ok).toBe(false);
    expect(broken.changed).toEqual([]);
    expect(existsSync(join(p.dir, "out/a.ts"))).toBe(true);
  });

  it("warns about an input the template never uses, at the input's key", () => {
    const { result, text } = build({ "prompts/a.prompt.yaml": GOOD.replace("  ticket: string", "  ticket: string\n  extra?: string") });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning PC1205"]);
    expect(text).toContain("--> prompts/a.prompt.yaml:6:3");
  });
});
