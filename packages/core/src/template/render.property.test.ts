// Property-based differential test: over generated templates and inputs, the real `handlebars`
// package, promptc's interpreter (inspect, evals, bisect) and the TypeScript promptc
// emits render the same text, or promptc rejects the template with a coded error at build time,
// never an internal one. fast-check generates sibling and nested blocks, else, this, ../, data
// variables, whitespace control, partials with and without a context, null and missing paths and
// literals; the interpreter is checked with shrinking, the emitted code over a fixed-seed batch.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import Handlebars from "handlebars";
import { afterAll, describe, expect, it } from "vitest";
import { DiagnosticBag } from "../diagnostics/index.js";
import { emitTemplateExpr } from "../emit/template.js";
import { compileSchema } from "../schema/compile.js";
import type { ObjectNode } from "../schema/ir.js";
import { tempProject } from "../testing/temp-project.js";
import { parseTemplate, type TemplateSource } from "./parse.js";
import type { TemplateProgram } from "./ast.js";
import { renderProgram } from "./render.js";
import { resolveTemplate } from "./resolve.js";
import { h } from "@promptc/runtime";

const PARTIALS: Record<string, string> = { pair: "({{a}}|{{b}})", self: "<{{this}}>" };
const hbs = Handlebars.create();
for (const [n, t] of Object.entries(PARTIALS)) hbs.registerPartial(n, t);
hbs.registerHelper("json", (v: unknown) => new hbs.SafeString(h.json(v)));

const source = (text: string): TemplateSource => ({ text, span: (s = 0, e = 1) => ({ file: "t.prompt.yaml", text, start: s, end: e }) });
const loadPartial = (n: string) => (PARTIALS[n] === undefined ? undefined : source(PARTIALS[n]!));
const INPUT = compileSchema({ "a?": "any", "b?": "any", "xs?": "any" }) as ObjectNode;

// ---- generators -------------------------------------------------------------------------------

const PATHS = ["a", "b", "xs", "a.b", "a.c", "xs.a", "this", "this.a", ".", "../a", "../b", "../../a", "@index", "@first", "@last", "@key", '"lit"', "'q'", "1", "true", "null"];
const path = fc.constantFrom(...PATHS);
const text = fc.constantFrom("x", " ", "\n", "  ", "y\n", "\n  ");
const output = fc.oneof(
  fc.tuple(path, fc.constantFrom("", "~"), fc.constantFrom("", "~")).map(([p, l, r]) => `{{${l}${p}${r}}}`),
  path.filter((p) => !/^["'\d]|^(true|null)$/.test(p)).map((p) => `{{json ${p}}}`),
);
const partial = fc.oneof(fc.constant("{{> pair}}"), path.map((p) => `{{> pair ${p}}}`), path.map((p) => `{{> self ${p}}}`));

// Handlebars does not push a context identical to the current one, so `../` inside
// `{{#with ../a}}` nested in `{{#with a}}` skips a level; promptc's frames are static. Blocks
// `#with` entering a context through `../` is left out (a known difference, in docs/prompt-format.md).

const template: fc.Arbitrary<string> = fc.letrec<{ body: string; block: string }>((tie) => ({
  body: fc.array(fc.oneof({ weight: 3, arbitrary: text }, { weight: 3, arbitrary: output }, { weight: 1, arbitrary: partial }, { weight: 2, arbitrary: tie("block") }), { maxLength: 4 }).map((xs) => xs.join("")),
  block: fc.tuple(fc.constantFrom("if", "unless", "each", "with", "^if"), path, tie("body"), fc.option(tie("body"), { nil: undefined }), fc.constantFrom("", "~"))
    .map(([name, target, inner, otherwise, ws]) => {
      const p = name === "with" ? target.replace(/^(\.\.\/)+/, "") : target;
      const open = name === "^if" ? `{{${ws}^if ${p}}}` : `{{${ws}#${name} ${p}}}`;
      return `${open}${inner}${otherwise === undefined ? "" : `{{else}}${otherwise}`}{{/${name === "^if" ? "if" : name}${ws}}}`;
    }),
}), { depthSize: "small" }).body;

const scalar = fc.constantFrom<unknown>(null, "", "s", 0, 2, true, false);
const value = fc.oneof(scalar, fc.constantFrom<unknown>([], ["u", "v"], [{ a: "i", b: 0 }, { a: null }], { a: "o", b: null, c: 0 }, { b: [1], a: { b: "deep" } }, { a: [] }));
const inputValue = fc.record({ a: value, b: value, xs: value }, { requiredKeys: [], noNullPrototype: true });

// ---- the three renderers ----------------------------------------------------------------------

type Compiled = { ok: true; program: TemplateProgram } | { ok: false; codes: string[] };

function compile(text: string): Compiled {
  const bag = new DiagnosticBag();
  const program = parseTemplate(source(text), loadPartial, bag);
  if (program) resolveTemplate(program.body, INPUT, bag);
  const errors = bag.items.filter((d) => d.severity === "error");
  if (!program || errors.length) return { ok: false, codes: errors.map((d) => d.code) };
  return { ok: true, program };
}

function handlebars(text: string, input: unknown): { ok: true; out: string } | { ok: false; error: string } {
  try {
    // Not `noEscape`: with it Handlebars merges adjacent outputs with `+`, so `{{a}}{{b}}` with 1 and 2
    // renders "3" (a Handlebars bug promptc does not copy). The generated values hold no character
    // Handlebars escapes, so escaping changes nothing else.
    return { ok: true, out: hbs.compile(text)(input) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** The property: a coded rejection, or the same text as Handlebars. */
function agrees(text: string, input: unknown, render: (p: TemplateProgram) => string): void {
  const c = compile(text);
  if (!c.ok) {
    expect(c.codes.length).toBeGreaterThan(0);
    for (const code of c.codes) expect(code).toMatch(/^PC12\d\d$/);
    return;
  }
  const want = handlebars(text, input);
  expect(render(c.program), `${JSON.stringify(text)} with ${JSON.stringify(input)}`).toBe(want.ok ? want.out : `Handlebars throws: ${want.error}`);
}

const project = tempProject();
afterAll(() => project.remove());

describe("templates render as Handlebars does (property-based)", () => {
  it("the interpreter, over 3,000 generated templates and inputs (with shrinking)", () => {
    fc.assert(fc.property(template, inputValue, (t, input) => agrees(t, input, (p) => renderProgram(p, input))), { numRuns: 3000, seed: 20261203 });
  });

  it("the emitted TypeScript, over a fixed batch of 1,500 generated templates and inputs", async () => {
    const cases = fc.sample(fc.tuple(template, fc.array(inputValue, { minLength: 3, maxLength: 3 })), { numRuns: 1500, seed: 20261204 });
    const accepted = cases.map(([t, inputs]) => ({ t, inputs, c: compile(t) }));
    const emitted = accepted.map(({ c }) => (c.ok ? `(i) => ${emitTemplateExpr(c.program)}` : "null"));
    const file = join(project.dir, "property-batch.mjs");
    writeFileSync(file, `import { h } from "@promptc/runtime";\nexport default [\n${emitted.join(",\n")}\n];\n`);
    const fns = (await import(pathToFileURL(file).href)).default as (((i: unknown) => string) | null)[];
    let compared = 0;
    accepted.forEach(({ t, inputs }, n) => {
      for (const input of inputs) {
        agrees(t, input, () => fns[n]!(input));
        compared++;
      }
    });
    expect(compared).toBe(4500);
    // A generator that only produced rejected templates would prove nothing.
    expect(accepted.filter((a) => a.c.ok).length).toBeGreaterThan(300);
  });
});
