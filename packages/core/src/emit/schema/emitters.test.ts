// Table-driven tests of every schema emitter: one given schema, what each target must be.
import { describe, expect, it } from "vitest";
import { compileSchema } from "../../schema/compile.js";
import { toZod } from "../../schema/to-zod.js";
import { toZodSource } from "../zod/index.js";
import { toJsonSchema } from "./json-schema.js";
import { toOpenAIStrict } from "./openai-strict.js";
import { toTypeScript } from "./typescript.js";
import { toStrictJsonSchema } from "@promptc/runtime/providers";

type Case = [name: string, { given: unknown; zod: string; ts: string; json: unknown }];

const cases: Case[] = [
  ["string", { given: "string", zod: "z.string()", ts: "string", json: { type: "string" } }],
  ["integer with description", { given: "integer, a count", zod: "z.int()", ts: "number", json: { type: "integer", description: "a count" } }],
  ["any", { given: "any", zod: "z.unknown()", ts: "unknown", json: {} }],
  ["string constraints", { given: { type: "string", minLength: 1, maxLength: 5, pattern: "^[a-z]+$" }, zod: 'z.string().min(1).max(5).regex(new RegExp("^[a-z]+$"))', ts: "string", json: { type: "string", minLength: 1, maxLength: 5, pattern: "^[a-z]+$" } }],
  ["email format", { given: { type: "string", format: "email" }, zod: "z.email()", ts: "string", json: { type: "string", format: "email" } }],
  ["number range", { given: { type: "number", minimum: 0, exclusiveMaximum: 1 }, zod: "z.number().min(0).lt(1)", ts: "number", json: { type: "number", minimum: 0, exclusiveMaximum: 1 } }],
  ["string enum", { given: { "c(enum)": ["a", "b"] }, zod: 'z.object({ c: z.enum(["a", "b"]) })', ts: '{\n  c: "a" | "b";\n}', json: { type: "object", properties: { c: { enum: ["a", "b"] } }, required: ["c"], additionalProperties: false } }],
  ["mixed enum", { given: { enum: [1, "x", true] }, zod: 'z.literal([1, "x", true])', ts: '1 | "x" | true', json: { enum: [1, "x", true] } }],
  ["optional is nullable in Picoschema", { given: { "n?": "number" }, zod: "z.object({ n: z.number().nullish() })", ts: "{\n  n?: number | null | undefined;\n}", json: { type: "object", properties: { n: { type: ["number", "null"] } }, additionalProperties: false } }],
  ["JSON Schema optional is not nullable", { given: { type: "object", properties: { n: { type: "number" } } }, zod: "z.looseObject({ n: z.number().optional() })", ts: "{\n  n?: number | undefined;\n  [key: string]: unknown;\n}", json: { type: "object", properties: { n: { type: "number" } } } }],
  ["array of objects", { given: { "xs(array)": { id: "string" } }, zod: "z.object({ xs: z.array(z.object({ id: z.string() })) })", ts: "{\n  xs: {\n    id: string;\n  }[];\n}", json: { type: "object", properties: { xs: { type: "array", items: { type: "object", properties: { id: { type: "string" } }, required: ["id"], additionalProperties: false } } }, required: ["xs"], additionalProperties: false } }],
  ["union", { given: { anyOf: [{ type: "string" }, { type: "number" }] }, zod: "z.union([z.string(), z.number()])", ts: "string | number", json: { anyOf: [{ type: "string" }, { type: "number" }] } }],
  ["nullable union via type list", { given: { type: ["string", "number", "null"] }, zod: "z.union([z.string(), z.number()]).nullable()", ts: "string | number | null", json: { anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }] } }],
  ["wildcard", { given: { "(*)": "number" }, zod: "z.object({}).catchall(z.number())", ts: "Record<string, number>", json: { type: "object", properties: {}, additionalProperties: { type: "number" } } }],
  ["array of enums needs parentheses", { given: { "t(array)": { enum: ["a", "b"] } }, zod: 'z.object({ t: z.array(z.enum(["a", "b"])) })', ts: '{\n  t: ("a" | "b")[];\n}', json: { type: "object", properties: { t: { type: "array", items: { enum: ["a", "b"] } } }, required: ["t"], additionalProperties: false } }],
];

describe("schema emitters", () => {
  for (const [name, { given, zod, ts, json }] of cases) {
    it(name, () => {
      const ir = compileSchema(given);
      expect(toZodSource(ir)).toBe(zod);
      expect(toTypeScript(ir)).toBe(ts);
      expect(toJsonSchema(ir)).toEqual(json);
    });
  }
});

describe("OpenAI strict variant", () => {
  const table: [string, { given: unknown; want: unknown }][] = [
    ["optional fields become required and nullable", {
      given: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["a"], additionalProperties: false },
      want: { strict: true, wrapped: false, schema: { type: "object", properties: { a: { type: "string" }, b: { type: ["integer", "null"] } }, required: ["a", "b"], additionalProperties: false } },
    }],
    ["nested objects close additionalProperties", {
      given: { "o(object)": { "x?": "string" } },
      want: { strict: true, wrapped: false, schema: { type: "object", properties: { o: { type: "object", properties: { x: { type: ["string", "null"] } }, required: ["x"], additionalProperties: false } }, required: ["o"], additionalProperties: false } },
    }],
    ["a non-object output is wrapped", {
      given: "number",
      want: { strict: true, wrapped: true, schema: { type: "object", properties: { value: { type: "number" } }, required: ["value"], additionalProperties: false } },
    }],
    ["a map cannot be strict", { given: { "(*)": "string" }, want: { strict: false, reason: "output allows extra keys; strict mode needs additionalProperties: false" } }],
    ["an untyped field cannot be strict", { given: { a: "any" }, want: { strict: false, reason: "output.a has no type (any); strict mode needs every value typed" } }],
  ];
  for (const [name, { given, want }] of table) it(name, () => expect(toOpenAIStrict(compileSchema(given))).toEqual(want));
});

describe("runtime zod builder agrees with the JSON Schema meaning", () => {
  const table: [string, { given: unknown; ok: unknown[]; bad: unknown[] }][] = [
    ["Picoschema optional accepts null and absence", { given: { a: "string", "b?": "number" }, ok: [{ a: "x" }, { a: "x", b: null }, { a: "x", b: 2 }], bad: [{}, { a: 1 }, { a: "x", b: "2" }] }],
    ["enum", { given: { "c(enum)": ["x", "y"] }, ok: [{ c: "x" }], bad: [{ c: "z" }] }],
    ["constraints", { given: { type: "integer", minimum: 1, maximum: 3 }, ok: [1, 3], bad: [0, 4, 1.5] }],
    ["pattern", { given: { type: "string", pattern: "^[A-Z]{3}$" }, ok: ["EUR"], bad: ["eur", "EURO"] }],
  ];
  for (const [name, { given, ok, bad }] of table) {
    it(name, () => {
      const schema = toZod(compileSchema(given));
      for (const v of ok) expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(true);
      for (const v of bad) expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(false);
    });
  }
});

describe("the runtime's strict variant equals the compiler's", () => {
  // The runtime derives OpenAI's strict schema from the emitted JSON Schema; it must match
  // toOpenAIStrict on the IR for every schema that can be strict.
  const schemas: unknown[] = [
    ...cases.map(([, c]) => c.given),
    { "due?": "string, ISO date", "vendor(object)": { name: "string", "vat?": "string" }, "items(array)": { d: "string", "q?": "number" } },
    { type: "object", properties: { a: { type: "string", default: "x", title: "A" }, b: { enum: ["x", "y"] }, c: { anyOf: [{ type: "string" }, { type: "integer" }] }, d: { type: ["string", "null"] } }, required: ["a"], additionalProperties: false },
    { "e?(enum)": ["p", "q"], n: "null", "deep(object)": { "deeper?(object)": { leaf: "boolean" } } },
    "number",
    { type: "array", items: { type: "string" } },
    { type: "string", nullable: true },
  ];
  schemas.forEach((given, i) => {
    it(`schema ${i}`, () => {
      const ir = compileSchema(given);
      const compiler = toOpenAIStrict(ir);
      if (!compiler.strict) return;
      expect(toStrictJsonSchema(toJsonSchema(ir), compiler.wrapped)).toEqual(compiler.schema);
    });
  });
});
