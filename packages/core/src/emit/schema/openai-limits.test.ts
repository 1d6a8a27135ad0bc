// OpenAI's strict-mode limits, checked at build time: past one, an OpenAI model gets the schema
// without strict mode (where the API would answer 400), and the build warns at the output.
import { jsonSchemasOf } from "./prompt-schemas.js";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ProjectBuilder } from "../../project/builder.js";
import { formatDiagnostics } from "../../diagnostics/index.js";
import { tempProject, type TempProject } from "../../testing/temp-project.js";

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

const CONFIG = "prompts: prompts\nout: out\ntiers:\n  fast: [openai:gpt-5.4-mini]\n  claude: [anthropic:claude-haiku-4-5]\n";

function build(output: unknown, tier = "fast") {
  const prompt = `version: 1\nmodel: { tier: ${tier}, max_tokens: 20 }\noutput: ${JSON.stringify(output)}\nmessages:\n  - user: hi\n`;
  const p = tempProject({ "promptc.config.yaml": CONFIG, "prompts/big.prompt.yaml": prompt });
  projects.push(p);
  const r = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build({ dryRun: true });
  expect(r.ok, formatDiagnostics(r.diagnostics, { color: false })).toBe(true);
  return { strict: jsonSchemasOf(r.prompts[0]!.ir).openaiStrict, warnings: r.diagnostics.filter((d) => d.code === "PC1403"), text: formatDiagnostics(r.diagnostics, { color: false }) };
}

const enumOf = (n: number, width = 4) => ({ type: "object", properties: { v: { enum: Array.from({ length: n }, (_, i) => `v${String(i).padStart(width, "0")}`) } }, required: ["v"], additionalProperties: false });
const nested = (levels: number): unknown => (levels === 1 ? { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false } : { type: "object", properties: { n: nested(levels - 1) }, required: ["n"], additionalProperties: false });
const wide = (n: number) => ({ type: "object", properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: "integer" }])), required: [], additionalProperties: false });

describe("OpenAI strict-mode limits", () => {
  const cases: [string, unknown, RegExp | null][] = [
    ["1,000 enum values is within", enumOf(1000), null],
    ["1,001 enum values is past", enumOf(1001), /it has 1,001 enum values; OpenAI's strict mode takes at most 1,000/],
    ["10 levels of nesting is within", nested(10), null],
    ["11 levels is past", nested(11), /it nests objects 11 levels deep; OpenAI's strict mode takes at most 10/],
    ["5,001 properties is past", wide(5001), /it has 5,001 properties; OpenAI's strict mode takes at most 5,000/],
    ["120,000 characters of enum strings is past", enumOf(500, 240), /its enum values total 120,500 characters; OpenAI's strict mode takes at most 120,000/],
  ];
  for (const [name, output, past] of cases) {
    it(name, () => {
      const { strict, warnings, text } = build(output);
      if (!past) {
        expect(strict.strict).toBe(true);
        expect(warnings).toEqual([]);
        return;
      }
      expect(strict).toMatchObject({ strict: false, limit: true, reason: expect.stringMatching(past) });
      expect(warnings).toHaveLength(1);
      expect(text).toMatch(past);
      expect(text).toMatch(/--> \S*prompts\/big\.prompt\.yaml:3:1/);
      expect(text).toContain("openai:gpt-5.4-mini will get it without strict mode");
    });
  }

  it("a chain without OpenAI models is not warned", () => {
    const { strict, warnings } = build(enumOf(1001), "claude");
    expect(strict.strict).toBe(false);
    expect(warnings).toEqual([]);
  });
});
