// JSON-Schema-Test-Suite, draft 2020-12 (`__fixtures__/json-schema-test-suite`, source beside it), held
// against every place promptc enforces a schema: the emitted zod source, the live zod schema built at
// build time, the build-time value checker, and the JSON Schema the model is sent (checked by Ajv, and
// as a tool input Anthropic takes).
// Each group runs as an `output:` schema and nested inside an object. A group is either correct on
// all its tests in all four, or rejected at build with a coded error; the rejected ones are listed in
// `json-schema-suite.ratchet.json`, which may only shrink.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import * as zod from "zod";
import { DiagnosticBag } from "../diagnostics/index.js";
import { toJsonSchema } from "../emit/schema/json-schema.js";
import { toZodSource } from "../emit/schema/zod.js";
import { schemaChecks, travelsWrapped } from "@promptc/runtime";
import { anthropicToolProblems, toolFor } from "@promptc/runtime/providers";
import { checkValue } from "./check-value.js";
import { isAssertedFormat } from "./formats.js";
import { compileSchema } from "./compile.js";
import type { SchemaNode } from "./ir.js";
import { toZod } from "./to-zod.js";

const dir = fileURLToPath(new URL("./__fixtures__/json-schema-test-suite/", import.meta.url));
const ratchetPath = fileURLToPath(new URL("./json-schema-suite.ratchet.json", import.meta.url));

interface Group {
  description: string;
  schema: unknown;
  tests: { description: string; data: unknown; valid: boolean }[];
}

const files = [...readdirSync(dir).filter((f) => f.endsWith(".json")), ...readdirSync(`${dir}optional`).map((f) => `optional/${f}`)].sort();
const ratchet = JSON.parse(readFileSync(ratchetPath, "utf8")) as { rejected: Record<string, string[]> };

// The schema as sent, read by an independent validator; formats with promptc's checks (Ajv's own
// differ from the RFCs in places), the rest ignored as annotations.
const ajv = new Ajv2020.default({ strict: false, allErrors: false, unicodeRegExp: true, logger: false });
for (const [name, test] of Object.entries(schemaChecks.FORMAT_CHECKS)) ajv.addFormat(name, test);

/**
 * format.json's "only an annotation by default" tests, for the formats promptc asserts by design
 * (draft 2020-12 lets a validator assert them; docs/prompt-format.md says which it does). The
 * optional/format-*.json groups check those assertions instead.
 */
const ASSERTED = (file: string, group: Group, test: Group["tests"][number]) =>
  file === "format.json" && /only an annotation by default/.test(test.description) && isAssertedFormat(String((group.schema as { format?: unknown }).format));

/**
 * Dotprompt's rule, which promptc follows (and its Picoschema conformance test checks): a whole
 * input or output schema with `properties` and no `type` is an object. So at the top, not nested,
 * such a schema rejects what is not an object.
 */
const ROOT_OBJECT = (group: Group, nested: boolean, data: unknown) => {
  const s = group.schema as Record<string, unknown>;
  return !nested && typeof s === "object" && s !== null && "properties" in s && !("type" in s) && !["anyOf", "oneOf", "enum", "const"].some((k) => k in s)
    && (typeof data !== "object" || data === null || Array.isArray(data));
};

/** The emitted zod source, evaluated here (only in tests) with what a generated module imports. */
function emittedValidator(node: SchemaNode): zod.ZodType {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- test-only: evaluates emitted source to check it
  return new Function("z", "schemaChecks", `return ${toZodSource(node)};`)(zod.z, schemaChecks) as zod.ZodType;
}

type Outcome = { rejected: string } | { wrong: string[] };

function runGroup(file: string, group: Group, nested: boolean): Outcome {
  const schema = nested ? { type: "object", properties: { value: group.schema }, required: ["value"], additionalProperties: false } : group.schema;
  const diagnostics = new DiagnosticBag();
  const node = compileSchema(schema, { diagnostics });
  const errors = diagnostics.items.filter((d) => d.severity === "error");
  if (errors.length) return { rejected: errors.map((e) => `${e.code} ${e.message}`).join("; ") };
  const emitted = emittedValidator(node);
  const live = toZod(node);
  let sent: (data: unknown) => boolean;
  try {
    sent = ajv.compile(toJsonSchema(node) as object);
  } catch (e) {
    return { wrong: [`the JSON Schema sent is not valid: ${(e as Error).message} ${JSON.stringify(toJsonSchema(node))}`] };
  }
  // Every schema promptc accepts is one Anthropic takes as a forced tool's input.
  const json = toJsonSchema(node) as Record<string, unknown>;
  const refused = anthropicToolProblems(toolFor("output", json, travelsWrapped(json)));
  const wrong: string[] = refused.map((p) => `Anthropic would refuse the tool: ${p}`);
  for (const t of group.tests) {
    const data = nested ? { value: t.data } : t.data;
    // Where promptc's documented rule differs from the suite's default, the value is invalid.
    const valid = ASSERTED(file, group, t) || ROOT_OBJECT(group, nested, t.data) ? false : t.valid;
    const got = {
      emitted: emitted.safeParse(data).success,
      live: live.safeParse(data).success,
      check: checkValue(node, data) === undefined,
      sent: sent(data) as boolean,
    };
    for (const [where, ok] of Object.entries(got)) if (ok !== valid) wrong.push(`${t.description} (${where}: ${ok ? "accepted" : "rejected"})`);
  }
  return { wrong };
}

const results = new Map<string, { group: string; outcome: Outcome; nestedOutcome: Outcome }[]>();
for (const file of files) {
  const groups = JSON.parse(readFileSync(`${dir}${file}`, "utf8")) as Group[];
  results.set(file, groups.map((g) => ({ group: g.description, outcome: runGroup(file, g, false), nestedOutcome: runGroup(file, g, true) })));
}

describe("JSON-Schema-Test-Suite draft 2020-12", () => {
  it("has the suite", () => expect([...results.values()].flat().length).toBeGreaterThan(380));

  for (const [file, groups] of results) {
    describe(file, () => {
      for (const { group, outcome, nestedOutcome } of groups) {
        it(group, () => {
          // Each way of using the schema is correct on every test, or rejected with a coded error.
          for (const o of [outcome, nestedOutcome]) {
            if ("rejected" in o) {
              expect(o.rejected).toMatch(/^PC\d{4} /);
              expect(ratchet.rejected[file] ?? [], "a group newly rejected: add it to the ratchet only with a reason").toContain(group);
            } else {
              expect(o.wrong).toEqual([]);
            }
          }
        });
      }
    });
  }

  it("lists in the ratchet only groups still rejected (so the count only falls)", () => {
    const stale: string[] = [];
    for (const [file, names] of Object.entries(ratchet.rejected)) {
      for (const name of names) {
        const r = results.get(file)?.find((g) => g.group === name);
        if (!r || !("rejected" in r.outcome || "rejected" in r.nestedOutcome)) stale.push(`${file}: ${name}`);
      }
    }
    expect(stale).toEqual([]);
  });
});

/** The table for the closing note: `PROMPTC_SUITE_TABLE=1 vitest run json-schema-suite`. */
if (process.env["PROMPTC_SUITE_TABLE"]) {
  const rows = [...results].map(([file, gs]) => {
    const rejected = gs.filter((g) => "rejected" in g.outcome || "rejected" in g.nestedOutcome).length;
    const wrong = gs.filter((g) => ("wrong" in g.outcome && g.outcome.wrong.length > 0) || ("wrong" in g.nestedOutcome && g.nestedOutcome.wrong.length > 0)).length;
    return `| ${file} | ${gs.length - rejected - wrong} | ${rejected} | ${wrong} |`;
  });
  console.log(["| file | correct | rejected | wrong |", "|---|---|---|---|", ...rows].join("\n"));
  for (const [file, gs] of results) {
    for (const g of gs) {
      const w = [...("wrong" in g.outcome ? g.outcome.wrong : []), ...("wrong" in g.nestedOutcome ? g.nestedOutcome.wrong.map((x) => `nested: ${x}`) : [])];
      if (w.length) console.log(`WRONG ${file} / ${g.group}: ${w.join(" | ")}`);
      const why = "rejected" in g.outcome ? g.outcome.rejected : "rejected" in g.nestedOutcome ? `nested: ${g.nestedOutcome.rejected}` : undefined;
      if (why && process.env["PROMPTC_SUITE_TABLE"] === "2") console.log(`REJECTED ${file} / ${g.group}: ${why}`);
    }
  }
}
