// Type-level tests of generated code: the example prompts are generated into a fixture,
// inferred types are asserted with expectTypeOf, and each unhappy-* file must fail to compile.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectBuilder } from "../project/builder.js";
import { tempProject, type TempProject } from "../testing/temp-project.js";
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import { toZod } from "../schema/to-zod.js";
import { checkValue } from "../schema/check-value.js";
import { sampleValues } from "../testing/sample-values.js";
import { PARTIALS, TEMPLATE_FIXTURES } from "../testing/template-fixtures.js";
import { BASIC_CONFIG } from "../testing/temp-project.js";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));

const HAPPY = `
import { expectTypeOf } from "vitest";
import type { z } from "zod";
import type { RenderedRequest } from "@promptc/runtime";
import { supportRouteTicket, supportDraftReply, type SupportRouteTicketInput, type SupportRouteTicketOutput } from "./out/index.js";
import { meta, type Input, type Output } from "./out/support/route-ticket.js";
import { InputSchema, OutputSchema } from "./out/support/route-ticket.schemas.js";
import * as invoice from "./out/finance/extract-invoice.js";

expectTypeOf(supportRouteTicket).parameter(0).toEqualTypeOf<SupportRouteTicketInput>();
expectTypeOf(supportRouteTicket).returns.resolves.toEqualTypeOf<SupportRouteTicketOutput>();
expectTypeOf<Output["queue"]>().toEqualTypeOf<"billing" | "technical" | "sales" | "abuse">();
expectTypeOf<Input["customer_tier"]>().toEqualTypeOf<"free" | "pro" | "enterprise">();
expectTypeOf<Input>().toHaveProperty("history");
expectTypeOf<z.output<typeof OutputSchema>>().toEqualTypeOf<Output>();
expectTypeOf<z.output<typeof InputSchema>>().branded.toEqualTypeOf<Input>();
expectTypeOf(supportRouteTicket.render).returns.resolves.toEqualTypeOf<RenderedRequest>();
expectTypeOf(supportRouteTicket.parse).returns.resolves.toEqualTypeOf<Output>();
expectTypeOf(meta.version).toBeNumber();
expectTypeOf(supportDraftReply).returns.resolves.toBeString();
expectTypeOf(supportRouteTicket.stream).returns.toHaveProperty("result").resolves.toEqualTypeOf<SupportRouteTicketOutput>();
export async function streamed(): Promise<void> {
  for await (const e of supportRouteTicket.stream({ ticket: "x", customer_tier: "pro" })) {
    if (e.type === "partial") expectTypeOf(e.value.queue).toEqualTypeOf<"billing" | "technical" | "sales" | "abuse" | undefined>();
  }
  for await (const e of supportDraftReply.stream({ customer_name: "A", ticket: "t", agent_name: "S" })) {
    if (e.type === "text") expectTypeOf(e.delta).toBeString();
  }
}
expectTypeOf<invoice.Output["line_items"][number]["quantity"]>().toBeNumber();
expectTypeOf<invoice.Output["vendor"]["vat_id"]>().toEqualTypeOf<string | null | undefined>();

// A reviewed prompt's call returns an outcome: the output only where status is "approved".
import { supportRefundDecision, type SupportRefundDecisionOutput } from "./out/index.js";
import type { ReviewId, ReviewOutcome } from "@promptc/runtime";
expectTypeOf(supportRefundDecision).returns.resolves.toEqualTypeOf<ReviewOutcome<SupportRefundDecisionOutput>>();
expectTypeOf(supportRefundDecision.needsReview).parameter(1).toEqualTypeOf<SupportRefundDecisionOutput>();
expectTypeOf(supportRefundDecision).not.toHaveProperty("stream");
export async function reviewed(): Promise<number | ReviewId<SupportRefundDecisionOutput>> {
  const outcome = await supportRefundDecision({ ticket: "x", order_total_usd: 10 });
  return outcome.status === "approved" ? outcome.output.amount_usd : outcome.reviewId;
}

// The plain call compiles with exactly the declared input.
export async function call(): Promise<string> {
  const out = await supportRouteTicket({ ticket: "x", customer_tier: "pro", history: ["a"] });
  return out.queue;
}
`;

// Each misuse, and the TypeScript error code it must produce.
const EXPECTED: Record<string, number> = {
  "unhappy-enum": 2322,
  "unhappy-missing-field": 2345,
  "unhappy-extra-field": 2561, // "…does not exist. Did you mean to write 'ticket'?"
  "unhappy-wrong-type": 2322,
  "unhappy-output-use": 2322,
  "unhappy-no-such-field": 2339,
  "unhappy-unreviewed-output": 2339, // "Property 'output' does not exist on type '{ status: "pending"; … }'"
};

const UNHAPPY: Record<string, string> = {
  "unhappy-enum": `import { supportRouteTicket } from "./out/index.js";\nvoid supportRouteTicket({ ticket: "x", customer_tier: "gold" });\n`,
  "unhappy-missing-field": `import { supportRouteTicket } from "./out/index.js";\nvoid supportRouteTicket({ customer_tier: "pro" });\n`,
  "unhappy-extra-field": `import { supportRouteTicket } from "./out/index.js";\nvoid supportRouteTicket({ ticket: "x", customer_tier: "pro", tikcet: "y" });\n`,
  "unhappy-wrong-type": `import { supportRouteTicket } from "./out/index.js";\nvoid supportRouteTicket({ ticket: 42, customer_tier: "pro" });\n`,
  "unhappy-output-use": `import { supportRouteTicket } from "./out/index.js";\nexport async function f(): Promise<number> { const o = await supportRouteTicket({ ticket: "x", customer_tier: "pro" }); return o.queue; }\n`,
  "unhappy-no-such-field": `import { supportRouteTicket } from "./out/index.js";\nexport async function f() { const o = await supportRouteTicket({ ticket: "x", customer_tier: "pro" }); return o.priority; }\n`,
  "unhappy-unreviewed-output": `import { supportRefundDecision } from "./out/index.js";\nexport async function f() { const o = await supportRefundDecision({ ticket: "x", order_total_usd: 1 }); return o.output.amount_usd; }\n`,
};

const REVIEW_CONDITIONS = [
  "always",
  "output.flagged",
  "not output.flagged and output.score >= 0.5",
  "output.label == null or output.label in [\"a\"]",
  "output.items[0].price > 100 or input.n <= 3",
  "input.tags[1] == \"vip\" and (output.note != null or output.score < 1e-3)",
  "input.q in ['x', 'y']",
];

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: true,
  noEmit: true,
  types: [],
};

let project: TempProject;
let edge: TempProject;
let prompts: CompiledPrompt[] = [];
let diagnosticsByFile: Map<string, string[]>;
let codesByFile: Map<string, number[]>;

beforeAll(() => {
  project = tempProject({
    "package.json": '{ "type": "module" }',
    "promptc.config.yaml": readFileSync(join(repo, "promptc.config.yaml"), "utf8").replace("prompts: prompts", `prompts: ${join(repo, "prompts")}`).replace(/^out: .*$/m, "out: out").replace(/^prompts: (.*)$/m, "prompts: $1\npartials: $1/partials\nlockfile: promptc.lock.json"),
    "happy.ts": HAPPY,
    ...Object.fromEntries(Object.entries(UNHAPPY).map(([n, t]) => [`${n}.ts`, t])),
  });
  const result = new ProjectBuilder(project.dir, join(project.dir, "promptc.config.yaml")).build();
  prompts = result.prompts;
  // Every template fixture becomes a prompt too: its generated code must compile under the same flags.
  edge = tempProject({
    "package.json": '{ "type": "module" }',
    "promptc.config.yaml": BASIC_CONFIG,
    ...Object.fromEntries(Object.entries(PARTIALS).map(([n, t]) => [`prompts/partials/${n}.hbs`, t])),
    ...Object.fromEntries(TEMPLATE_FIXTURES.map(([, f], i) => [`prompts/t${i}.prompt.yaml`,
      `version: 1\nmodel: { tier: fast, max_tokens: 10 }\ninput: ${JSON.stringify(f.input)}\nmessages:\n  - user: ${JSON.stringify(f.template)}\n`])),
    "prompts/unused-input.prompt.yaml": "version: 1\nmodel: { tier: fast, max_tokens: 10 }\ninput: { q: string }\nmessages:\n  - user: hi\n",
    "prompts/no-input.prompt.yaml": "version: 1\nmodel: { tier: fast, max_tokens: 10 }\nmessages:\n  - user: hi\n",
    // Review conditions of every form compile under the same flags.
    ...Object.fromEntries(REVIEW_CONDITIONS.map((when, i) => [`prompts/review${i}.prompt.yaml`,
      `version: 1\nmodel: { tier: fast, max_tokens: 10 }\ninput: { q: string, 'n?': number, 'tags?(array)': string }\noutput: { flagged: boolean, score: number, 'label?(enum)': [a, b], 'items(array)': { price: number }, 'note?': string }\nmessages:\n  - user: "{{q}} {{n}} {{#each tags}}{{this}}{{/each}}"\nreview: { when: ${JSON.stringify(when)} }\n`])),
    "prompts/review-text.prompt.yaml": "version: 1\nmodel: { tier: fast, max_tokens: 10 }\ninput: { q: string }\nmessages:\n  - user: '{{q}}'\nreview: { when: 'output == \"refund\" or input.q != \"\"' }\n",
  });
  const edgeResult = new ProjectBuilder(edge.dir, join(edge.dir, "promptc.config.yaml")).build();
  expect(edgeResult.ok, JSON.stringify(edgeResult.diagnostics.filter((d) => d.severity === "error").map((d) => d.message))).toBe(true);
  expect(result.ok, JSON.stringify(result.diagnostics.map((d) => d.message))).toBe(true);
  const roots = [...["happy.ts", ...Object.keys(UNHAPPY).map((n) => `${n}.ts`), "out/index.ts"].map((f) => join(project.dir, f)), join(edge.dir, "out/index.ts")];
  const program = ts.createProgram(roots, OPTIONS);
  diagnosticsByFile = new Map();
  codesByFile = new Map();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = !d.file ? "(global)" : d.file.fileName.startsWith(edge.dir) ? "edge/" + d.file.fileName.slice(edge.dir.length + 1) : d.file.fileName.slice(project.dir.length + 1);
    codesByFile.set(file, [...(codesByFile.get(file) ?? []), d.code]);
    const list = diagnosticsByFile.get(file) ?? [];
    list.push(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    diagnosticsByFile.set(file, list);
  }
}, 120_000);
afterAll(() => {
  project?.remove();
  edge?.remove();
});

describe("generated code types", () => {
  it("generated modules compile under strict, exactOptionalPropertyTypes and noUnused*", () => {
    const generated = [...diagnosticsByFile].filter(([f]) => f.startsWith("out/") || f.startsWith("edge/") || f === "(global)");
    expect(generated).toEqual([]);
  });

  it("inputs and outputs are inferred (happy.ts)", () => {
    expect(diagnosticsByFile.get("happy.ts") ?? []).toEqual([]);
  });

  for (const name of Object.keys(UNHAPPY)) {
    it(`${name} fails to compile`, () => {
      expect(codesByFile.get(`${name}.ts`) ?? []).toContain(EXPECTED[name]);
    });
  }
});

describe("generated validators agree with zod built from the IR and with checkValue", () => {
  it("over sampled valid and invalid values of every example prompt", async () => {
    expect(prompts.length).toBeGreaterThanOrEqual(5);
    let compared = 0;
    for (const p of prompts) {
      const mod = (await import(join(project.dir, "out", `${p.ir.id}.schemas.ts`))) as { InputSchema: { safeParse(v: unknown): { success: boolean; data?: unknown } }; OutputSchema: { safeParse(v: unknown): { success: boolean; data?: unknown } } };
      for (const [side, schema, generated] of [["input", p.ir.input, mod.InputSchema], ["output", p.ir.output, mod.OutputSchema]] as const) {
        const built = toZod(schema);
        const values = sampleValues(schema, 40, p.ir.id.length);
        expect(values.some((v) => built.safeParse(v).success)).toBe(true);
        expect(values.some((v) => !built.safeParse(v).success)).toBe(true);
        for (const v of values) {
          const a = generated.safeParse(v);
          const b = built.safeParse(v);
          expect(a.success, `${p.ir.id} ${side} ${JSON.stringify(v)}`).toBe(b.success);
          expect(checkValue(schema, v) === undefined, `checkValue: ${p.ir.id} ${side} ${JSON.stringify(v)}`).toBe(a.success);
          if (a.success) expect(a.data).toEqual(b.data);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});
