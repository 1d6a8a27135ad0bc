// Table-driven tests of every schema emitter: one given schema, what each target must be.
import { describe, expect, it } from "vitest";
import { compileSchema } from "../../schema/compile.js";
import { toZod } from "../../schema/to-zod.js";
import { toZodSource } from "./zod.js";
import { toJsonSchema } from "./json-schema.js";
import { toOpenAIStrict } from "./openai-strict.js";
import { toTypeScript } from "./typescript.js";
import { toStrictJsonSchema } from "@promptc/runtime/providers";

type Case = [name: string, { given: unknown; zod: string; ts: string; json: unknown }];

const cases: Case[] = [
  ["string", { given: "string", zod: "z.string()", ts: "string", json: { type: "string" } }],
  ["integer with description", { given: "integer, a count", zod: "z.int()", ts: "number", json: { type: "integer", description: "a count" } }],
  ["any", { given: "any", zod: "z.unknown()", ts: "unknown", json: {} }],
  ["string constraints", { given: { type: "string", minLength: 1, maxLength: 5, pattern: "^[a-z]+$" }, zod: 'z.string().min(1).max(5).regex(new RegExp("^[a-z]+$", "u"))', ts: "string", json: { type: "string", minLength: 1, maxLength: 5, pattern: "^[a-z]+$" } }],
  ["email format", { given: { type: "string", format: "email" }, zod: 'z.string().refine(schemaChecks.FORMAT_CHECKS["email"], "Invalid email address")', ts: "string", json: { type: "string", format: "email" } }],
  ["a format promptc does not assert is an annotation", { given: { type: "string", format: "hostname" }, zod: "z.string()", ts: "string", json: { type: "string", format: "hostname" } }],
  ["oneOf: exactly one", { given: { oneOf: [{ type: "integer" }, { type: "number", minimum: 2 }] }, zod: "z.xor([z.int(), z.number().min(2)])", ts: "number | number", json: { oneOf: [{ type: "integer" }, { type: "number", minimum: 2 }] } }],
  ["uniqueItems", { given: { type: "array", items: { type: "string" }, uniqueItems: true }, zod: 'z.array(z.string()).refine(schemaChecks.hasUniqueItems, "Expected no two items to be equal")', ts: "string[]", json: { type: "array", items: { type: "string" }, uniqueItems: true } }],
  ["JSON Schema's additionalProperties: false rejects extra keys", { given: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, zod: "z.strictObject({ a: z.string().optional() })", ts: "{\n  a?: string | undefined;\n}", json: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false } }],
  ["property counts and dependentRequired", { given: { type: "object", minProperties: 1, maxProperties: 2, dependentRequired: { a: ["b"] } }, zod: 'z.looseObject({}).refine((o) => Object.keys(o).length >= 1, "Expected at least 1 keys").refine((o) => Object.keys(o).length <= 2, "Expected at most 2 keys").refine((o) => !Object.prototype.hasOwnProperty.call(o, "a") || ["b"].every((n) => Object.prototype.hasOwnProperty.call(o, n)), "Expected `b` when `a` is present")', ts: "{\n  [key: string]: unknown;\n}", json: { type: "object", properties: {}, minProperties: 1, maxProperties: 2, dependentRequired: { a: ["b"] } } }],
  ["a keyword without type constrains only its type", { given: { type: "object", properties: { age: { minimum: 0 } }, required: ["age"] }, zod: "z.looseObject({ age: z.union([z.boolean(), z.looseObject({}), z.array(z.unknown()), z.number().min(0), z.string()]).nullable() })", ts: "{\n  age: boolean | {\n    [key: string]: unknown;\n  } | unknown[] | number | string | null;\n  [key: string]: unknown;\n}", json: { type: "object", properties: { age: { anyOf: [{ type: "boolean" }, { type: "object", properties: {} }, { type: "array", items: {} }, { type: "number", minimum: 0 }, { type: "string" }, { type: "null" }] } }, required: ["age"] } }],
  ["false: a property that must be absent", { given: { type: "object", properties: { a: false } }, zod: "z.looseObject({ a: z.never().optional() })", ts: "{\n  a?: never | undefined;\n  [key: string]: unknown;\n}", json: { type: "object", properties: { a: { not: {} } } } }],
  ["a property named like Object.prototype's is read as own", { given: { type: "object", properties: { constructor: { type: "string" } } }, zod: "z.preprocess(schemaChecks.withoutPrototype, z.looseObject({ constructor: z.string().optional() }))", ts: "{\n  constructor?: string | undefined;\n  [key: string]: unknown;\n}", json: { type: "object", properties: { constructor: { type: "string" } } } }],
  ["enum narrowed by the schema's other keywords", { given: { type: "string", enum: ["a", 1] }, zod: 'z.enum(["a"])', ts: '"a"', json: { enum: ["a"] } }],
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
    ["patterns are Unicode (u flag)", { given: { type: "string", pattern: "^\\p{Letter}+$" }, ok: ["Hello", "Grüße", "مرحبا"], bad: ["Hello!", "42"] }],
    ["lengths count code points", { given: { type: "string", minLength: 2, maxLength: 2 }, ok: ["ab", "💩💩", "é!"], bad: ["💩", "abc"] }],
    ["enum beside type", { given: { type: "string", enum: ["a", 1] }, ok: ["a"], bad: [1, "b"] }],
    ["a constraint without type", { given: { type: "object", properties: { age: { minimum: 0 } }, required: ["age"] }, ok: [{ age: 0 }, { age: "n/a" }], bad: [{ age: -5 }, {}] }],
    ["oneOf is exactly one", { given: { oneOf: [{ type: "integer" }, { type: "number", minimum: 2 }] }, ok: [1, 2.5], bad: [3, 1.5] }],
    ["empty-enum-free nulls: `{enum: [null]}` is null only", { given: { enum: [null] }, ok: [null], bad: ["null", 0] }],
    ["RFC 3339 time needs an offset", { given: { type: "string", format: "time" }, ok: ["08:30:06Z", "23:59:60Z", "08:30:06.25+02:00"], bad: ["12:00:00", "24:00:00Z", "08:30:06"] }],
    ["RFC 3339 date-time", { given: { type: "string", format: "date-time" }, ok: ["1963-06-19T08:30:06.283185Z", "1963-06-19t08:30:06z"], bad: ["1963-06-19T08:30:06", "1990-02-31T15:59:59Z"] }],
    ["an optional property named constructor", { given: { type: "object", properties: { constructor: { type: "string" } } }, ok: [{}, { constructor: "x" }], bad: [{ constructor: 1 }] }],
    ["a top-level JSON Schema without type is JSON Schema, not Picoschema fields", { given: { items: { type: "string" } }, ok: [["a"], "not a list", 3], bad: [[1]] }],
    ["uniqueItems compares JSON values", { given: { type: "array", uniqueItems: true }, ok: [[1, "1"], [{ a: 1 }, { a: 2 }]], bad: [[1, 1.0], [{ a: 1, b: 2 }, { b: 2, a: 1 }]] }],
  ];
  for (const [name, { given, ok, bad }] of table) {
    it(name, () => {
      const schema = toZod(compileSchema(given));
      for (const v of ok) expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(true);
      for (const v of bad) expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(false);
    });
  }
});

describe("JSON Schema keywords promptc does not compile", () => {
  it("are errors even at the top of a schema without type (not Picoschema fields named `not`)", () => {
    expect(() => compileSchema({ not: { type: "string" } })).toThrow(/`not` is not supported/);
    expect(() => compileSchema({ type: "string", format: "time", minLenght: 2 })).toThrow(/unknown JSON Schema keyword `minLenght`/);
  });
});

describe("keywords OpenAI's strict mode does not take", () => {
  it("leave the strict schema, and are listed as checked on the reply", () => {
    const given = { type: "object", properties: { s: { type: "string", minLength: 1, format: "uri" }, d: { type: "string", format: "date" }, o: { oneOf: [{ type: "integer" }, { type: "string" }] } }, required: ["s", "d", "o"], additionalProperties: false };
    const strict = toOpenAIStrict(compileSchema(given));
    expect(strict).toMatchObject({ strict: true, local: ["`minLength` at output.s", "`format: uri` at output.s", "`oneOf (sent as anyOf)` at output.o"] });
    if (!strict.strict) return;
    expect(strict.schema["properties"]).toEqual({ s: { type: "string" }, d: { type: "string", format: "date" }, o: { anyOf: [{ type: "integer" }, { type: "string" }] } });
    // The reply is still held to them by the validator.
    expect(toZod(compileSchema(given)).safeParse({ s: "", d: "2026-12-03", o: 1 }).success).toBe(false);
  });
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
    // Keywords strict mode does not take leave the strict schema in both.
    { type: "object", properties: { s: { type: "string", minLength: 1, maxLength: 9, format: "uri" }, t: { type: "array", items: { type: "string", format: "email" }, uniqueItems: true }, o: { oneOf: [{ type: "integer" }, { type: "string" }] } }, required: ["s"], additionalProperties: false, minProperties: 1, dependentRequired: { s: ["t"] } },
  ];
  schemas.forEach((given, i) => {
    it(`schema ${i}`, () => {
      const ir = compileSchema(given);
      const compiler = toOpenAIStrict(ir);
      // A schema that cannot be strict is sent as it is, with strict: false; the compiler says why.
      if (!compiler.strict) expect(compiler.reason).toMatch(/\S/);
      else expect(toStrictJsonSchema(toJsonSchema(ir), compiler.wrapped)).toEqual(compiler.schema);
    });
  });
  it("compares most of them: the table is not mostly schemas that cannot be strict", () => {
    expect(schemas.filter((g) => toOpenAIStrict(compileSchema(g)).strict).length).toBeGreaterThan(schemas.length / 2);
  });
});
