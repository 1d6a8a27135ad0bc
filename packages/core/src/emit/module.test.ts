// Module emitters: table-driven checks of what each construct emits, and golden files of the
// example prompts' modules (review a change to them like any other code change).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ProjectBuilder } from "../project/builder.js";
import { BASIC_CONFIG, tempProject, type TempProject } from "../testing/temp-project.js";
import { emitIndexModule } from "./index-module.js";
import { emitMeta } from "./meta.js";
import { emitPromptModules } from "./module.js";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));
const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

function compile(prompt: string) {
  const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, "prompts/x/a.prompt.yaml": prompt });
  projects.push(p);
  const r = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build({ dryRun: true });
  expect(r.ok, JSON.stringify(r.diagnostics.map((d) => d.message))).toBe(true);
  return r.prompts[0]!;
}

const base = (extra: string) => `version: 2\ndescription: Does */ things.\nmodel: { tier: fast, max_tokens: 10, fallbacks: [balanced] }\n${extra}`;

type Case = [name: string, { prompt: string; contains: string[]; excludes?: string[] }];
const cases: Case[] = [
  ["text output: no schema constant, no helpers", { prompt: base("input: { q: string }\nmessages:\n  - user: 'Q: {{q}}'\n"), contains: ['output: { format: "text", schema: null, strict: false, wrapped: false }', "export type Output = string;", "content: `Q: ${i.q}`", 'import { definePrompt, type Message, type PromptMeta } from "@promptc/runtime";'], excludes: ["outputJsonSchema", " h,"] }],
  ["json output: schema constant and strict flag", { prompt: base("input: { q: string }\noutput: { a: string }\nmessages:\n  - user: '{{q}}'\n"), contains: ['const outputJsonSchema = {"type":"object"', "strict: true, wrapped: false"] }],
  ["a scalar output is wrapped in strict mode", { prompt: base("output: number\nmessages:\n  - user: hi\n"), contains: ["strict: true, wrapped: true", "export type Output = number;", "(_i: Input): Message[]"] }],
  ["helpers are imported when the template needs them", { prompt: base("input: { 'xs(array)': string }\nmessages:\n  - user: '{{#each xs}}{{this}}{{/each}}'\n"), contains: ["import { definePrompt, h, type Message", "h.each(i.xs, (c1) => `${c1}`)"] }],
  ["the JSDoc carries description, version, hash, tier, fallbacks and max_tokens, with */ escaped", { prompt: base("messages:\n  - user: hi\n"), contains: [" * Does *\\/ things.", " * Prompt `x/a`, version 2 (sha256:", " * Model tier `fast`, falling back to `balanced`; max_tokens 10.", " * @see prompts/x/a.prompt.yaml", "export const xA = definePrompt<Input, Output>(meta, () => import(\"./a.schemas.js\"), render);"] }],
  ["an input the template never reads leaves the parameter unused on purpose", { prompt: base("input: { q: string }\nmessages:\n  - user: hi\n"), contains: ["(_i: Input): Message[]"] }],
  ["@root reads the input", { prompt: base("input: { q: string, 'xs(array)': string }\nmessages:\n  - user: '{{#each xs}}{{@root.q}}{{/each}}'\n"), contains: ["(i: Input): Message[]", "h.each(i.xs, (_c1) => `${i.q}`)"] }],
  ["a static message is a plain string", { prompt: base("messages:\n  - system: 'Be brief. `x` ${y}'\n"), contains: ['{ role: "system", content: "Be brief. `x` ${y}" }'] }],
];

describe("module emitter", () => {
  for (const [name, { prompt, contains, excludes }] of cases) {
    it(name, () => {
      const { function: text, schemas } = emitPromptModules(compile(prompt), "xA", { runtimeImport: "@promptc/runtime" });
      for (const c of contains) expect(text).toContain(c);
      // zod loads with the validators on the first call, never with the function.
      expect(text).not.toContain("zod");
      expect(schemas).toMatch(/^import \{ z \} from "zod";$/m);
      expect(schemas).toMatch(/^export const InputSchema = z\./m);
      expect(schemas).toMatch(/^export const OutputSchema = z\./m);
      expect(schemas).not.toContain("@promptc/runtime");
      for (const c of excludes ?? []) expect(text).not.toContain(c);
      expect(text).not.toMatch(/\/\*@\w+@\*\//);
      expect(text).not.toContain("@ts-nocheck");
      expect(text).not.toMatch(/\beval\(|new Function/);
    });
  }

  it("honours runtime_import", () => {
    expect(emitPromptModules(compile(base("messages:\n  - user: hi\n")), "xA", { runtimeImport: "./my-runtime.js" }).function).toContain('from "./my-runtime.js";');
  });

  it("meta lists every field the runtime reads", () => {
    const { literal } = emitMeta(compile(base("messages:\n  - user: hi\n")).ir);
    for (const key of ["id", "version", "hash", "source", "description", "model", "output", "policies"]) expect(literal).toMatch(new RegExp(`^  ${key}: `, "m"));
    expect(literal).toContain('"chain":["openai:gpt-4.1-mini","anthropic:claude-sonnet-4-6"]');
  });

  it("the index exports every function and its types, sorted by id", () => {
    const irs = [{ id: "b/two" }, { id: "a/one" }] as never;
    expect(emitIndexModule(irs, new Map([["b/two", "bTwo"], ["a/one", "aOne"]]))).toBe(
      "// Generated by promptc. Do not edit.\n\n" +
        'export { aOne, type Input as AOneInput, type Output as AOneOutput } from "./a/one.js";\n' +
        'export { bTwo, type Input as BTwoInput, type Output as BTwoOutput } from "./b/two.js";\n',
    );
  });
});

describe("golden modules of the example prompts", () => {
  const p = tempProject({
    "promptc.config.yaml": `prompts: ${join(repo, "prompts")}\nout: out\n` + BASIC_CONFIG.split("\n").slice(2).join("\n").replace("fast: [openai:gpt-4.1-mini]", "fast: [openai:gpt-4.1-mini, anthropic:claude-haiku-4-5]").replace("balanced: [anthropic:claude-sonnet-4-6]", "balanced: [openai:gpt-4.1, anthropic:claude-sonnet-4-6]") + "schemas:\n  Citation:\n    passage_id: string, id of the passage the claim comes from\n    quote: string, the exact words supporting the claim\n",
  });
  projects.push(p);
  const result = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build({ dryRun: true });
  it("compile", () => expect(result.ok).toBe(true));
  for (const prompt of result.prompts) {
    it(prompt.ir.id, async () => {
      prompt.ir.source = `prompts/${prompt.ir.id}.prompt.yaml`;
      const modules = emitPromptModules(prompt, result.names.get(prompt.ir.id)!, { runtimeImport: "@promptc/runtime" });
      await expect(modules.function).toMatchFileSnapshot(`./__snapshots__/golden/${prompt.ir.id}.ts.snap`);
      await expect(modules.schemas).toMatchFileSnapshot(`./__snapshots__/golden/${prompt.ir.id}.schemas.ts.snap`);
    });
  }
});
