// Differential test: Handlebars itself, our interpreter, and the emitted TypeScript must
// render every fixture identically.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Handlebars from "handlebars";
import { afterAll, describe, expect, it } from "vitest";
import { DiagnosticBag } from "../diagnostics/index.js";
import { compileSchema } from "../schema/compile.js";
import type { ObjectNode } from "../schema/ir.js";
import { emitTemplateExpr } from "../emit/template.js";
import { tempProject } from "../testing/temp-project.js";
import { parseTemplate, type TemplateSource } from "./parse.js";
import { renderProgram } from "./render.js";
import { resolveTemplate } from "./resolve.js";
import { h as helpers } from "@promptc/runtime";
import { PARTIALS, TEMPLATE_FIXTURES as fixtures } from "../testing/template-fixtures.js";

const hbs = Handlebars.create();
const drop = (args: unknown[]) => args.slice(0, -1);
hbs.registerHelper("json", (v: unknown, o: { hash: { indent?: number } }) => helpers.json(v, o.hash.indent));
for (const name of ["eq", "ne", "gt", "lt", "not", "join"] as const) {
  hbs.registerHelper(name, (...args: unknown[]) => (helpers[name] as (...a: unknown[]) => unknown)(...drop(args)));
}
hbs.registerHelper("and", (...args: unknown[]) => helpers.and(...drop(args)));
hbs.registerHelper("or", (...args: unknown[]) => helpers.or(...drop(args)));
for (const [n, t] of Object.entries(PARTIALS)) hbs.registerPartial(n, t);

const source = (text: string): TemplateSource => ({ text, span: () => ({ file: "t", text, start: 0, end: 1 }) });
const loadPartial = (n: string) => (PARTIALS[n] === undefined ? undefined : source(PARTIALS[n]!));

const project = tempProject();
afterAll(() => project.remove());

describe("templates render as Handlebars does", () => {
  fixtures.forEach(([name, { template, input, values }], n) => {
    it(name, async () => {
      const bag = new DiagnosticBag();
      const schema = compileSchema(input) as ObjectNode;
      const program = parseTemplate(source(template), loadPartial, bag);
      expect(bag.items).toEqual([]);
      resolveTemplate(program!.body, schema, bag);
      expect(bag.items.filter((d) => d.severity === "error")).toEqual([]);
      const file = join(project.dir, `t${n}.mjs`);
      writeFileSync(file, `import { h } from "@promptc/runtime";\nexport default (i) => ${emitTemplateExpr(program!)};\n`);
      const emitted = (await import(pathToFileURL(file).href)).default as (i: unknown) => string;
      const reference = hbs.compile(template, { noEscape: true });
      for (const v of values) {
        const want = reference(v);
        expect(renderProgram(program!, v), `interpreter, ${JSON.stringify(v)}`).toBe(want);
        expect(emitted(v), `emitted, ${JSON.stringify(v)}`).toBe(want);
      }
    });
  });
});
