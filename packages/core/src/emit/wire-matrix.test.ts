// The one wire rule, crossed: output shape × strict or not × provider × call or stream, against
// the local server answering what each request asks for. Every cell returns the typed output
// (what the prompt's own validator accepts), and each provider is sent the schema the rule says.
import { jsonSchemasOf } from "./schema/prompt-schemas.js";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { definePrompt, Runtime, travelsWrapped, type PromptMeta } from "@promptc/runtime";
import { startMockServer } from "@promptc/runtime/testing";
import { ProjectBuilder } from "../project/builder.js";
import { BASIC_CONFIG, tempProject, type TempProject } from "../testing/temp-project.js";
import { promptMetaOf } from "./meta.js";
import { toZod } from "../schema/to-zod.js";
import { renderMessages } from "../template/render.js";

const server = await startMockServer();
const projects: TempProject[] = [];
afterAll(async () => {
  projects.forEach((p) => p.remove());
  await server.close();
});

const SHAPES: [name: string, output: string, strictPossible: boolean][] = [
  ["object", "output: { a: string, n?: integer }", true],
  ["nullable object", 'output: { type: [object, "null"], properties: { a: { type: string } }, required: [a], additionalProperties: false }', true],
  ["list of strict objects", "output: { type: array, items: { type: object, properties: { a: { type: string } }, required: [a], additionalProperties: false } }", true],
  ["list of loose objects", "output: { type: array, items: { type: object } }", false],
  ["scalar", "output: integer", true],
  ["enum", "output: { enum: [low, high] }", true],
  ["union", "output: { anyOf: [{ type: string }, { type: integer }] }", true],
  ["anything", "output: any", false],
];

function compile(output: string) {
  const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, "prompts/w.prompt.yaml": `version: 1\nmodel: { tier: fast, max_tokens: 20 }\n${output}\nmessages:\n  - user: hi\n` });
  projects.push(p);
  const r = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build({ dryRun: true });
  expect(r.ok, JSON.stringify(r.diagnostics.map((d) => d.message))).toBe(true);
  return r.prompts[0]!;
}

const runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "sk-test-0001", baseURL: server.openaiBaseURL }, anthropic: { apiKey: "sk-ant-test-0002", baseURL: server.anthropicBaseURL } } });

describe.each(SHAPES)("%s output", (_name, output, strictPossible) => {
  const prompt = compile(output);
  const base = promptMetaOf(prompt.ir);
  const OutputSchema = toZod(prompt.ir.output);
  it("the rule is the compiler's and the runtime's alike", () => {
    expect(base.output.wrapped).toBe(travelsWrapped(jsonSchemasOf(prompt.ir).output));
    expect(jsonSchemasOf(prompt.ir).openaiStrict.strict).toBe(strictPossible);
  });
  const modes = strictPossible ? [true, false] : [false];
  for (const strict of modes) {
    for (const provider of ["openai", "anthropic"] as const) {
      for (const how of ["call", "stream"] as const) {
        it(`${strict ? "strict" : "not strict"} × ${provider} × ${how}`, async () => {
          const model = provider === "openai" ? "openai:gpt-5.4-mini" : "anthropic:claude-haiku-4-5";
          const meta: PromptMeta = { ...base, model: { ...base.model, chain: [model] }, output: { ...base.output, strict } };
          const fn = definePrompt<Record<string, never>, unknown>(meta, { InputSchema: toZod(prompt.ir.input), OutputSchema } as never, (i) => renderMessages(prompt, i));
          const before = server.requests.length;
          const out = how === "call" ? await fn({}, { runtime }) : await fn.stream({}, { runtime }).result;
          expect(OutputSchema.safeParse(out).success, JSON.stringify(out)).toBe(true);
          const sent = server.requests[before]!.body;
          const schema = provider === "openai" ? (sent["response_format"] as { json_schema: { schema: { type?: unknown } } }).json_schema.schema : (sent["tools"] as { input_schema: { type?: unknown } }[])[0]!.input_schema;
          // Both providers take only an object at the root: wrapped exactly when the rule says.
          expect(schema.type).toBe("object");
          expect("value" in ((schema as { properties?: object }).properties ?? {})).toBe(base.output.wrapped);
        });
      }
    }
  }
});
