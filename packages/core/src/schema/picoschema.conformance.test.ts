// Dotprompt's own Picoschema spec cases (`__fixtures__/picoschema.yaml`, with its source beside it): every one must pass.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileSchema } from "./compile.js";
import { toJsonSchema } from "../emit/schema/json-schema.js";

const specPath = fileURLToPath(new URL("./__fixtures__/picoschema.yaml", import.meta.url));

interface SpecCase {
  name: string;
  template: string;
  schemas?: Record<string, unknown>;
  tests: { desc: string; expect: { input?: { schema: unknown }; output?: { schema: unknown } } }[];
}

const cases = parse(readFileSync(specPath, "utf8")) as SpecCase[];

function frontMatter(template: string): Record<string, { schema?: unknown }> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(template);
  return (m ? parse(m[1]!) : {}) as Record<string, { schema?: unknown }>;
}

describe("Picoschema conformance (dotprompt spec)", () => {
  it("has the spec cases", () => expect(cases.length).toBeGreaterThanOrEqual(19));
  for (const c of cases) {
    for (const t of c.tests) {
      it(`${c.name}: ${t.desc}`, () => {
        const fm = frontMatter(c.template);
        for (const side of ["input", "output"] as const) {
          const want = t.expect[side]?.schema;
          if (want === undefined) continue;
          const got = toJsonSchema(compileSchema(fm[side]?.schema, { schemas: c.schemas ?? {} }));
          expect(got).toEqual(want);
        }
      });
    }
  }
});
