// Strict mode's nulls for optional fields are read as "absent" wherever the field is: in an
// object's properties, in list items, inside anyOf branches (at any depth), and through
// additionalProperties.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "../define-prompt.js";
import { Runtime } from "../runtime.js";
import { startMockServer } from "../testing/index.js";
import type { JsonSchema, PromptMeta } from "../contract/prompt.js";
import { dropStrictNulls, hasOptionalNonNullable } from "./output.js";

const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: "object", properties, required, additionalProperties: false });
const S = { type: "string" };

describe("dropStrictNulls", () => {
  const cases: [string, { schema: JsonSchema; given: unknown; want: unknown }][] = [
    ["a property", { schema: obj({ a: S, b: S }, ["a"]), given: { a: "x", b: null }, want: { a: "x" } }],
    ["a nullable property keeps its null", { schema: obj({ a: S, b: { type: ["string", "null"] } }, ["a"]), given: { a: "x", b: null }, want: { a: "x", b: null } }],
    ["list items", { schema: { type: "array", items: obj({ a: S, b: S }, ["a"]) }, given: [{ a: "x", b: null }], want: [{ a: "x" }] }],
    ["an anyOf branch, chosen by the keys present", {
      schema: { anyOf: [obj({ kind: S, size: S }, ["kind"]), obj({ id: S, note: S }, ["id"])] },
      given: { id: "7", note: null }, want: { id: "7" },
    }],
    ["a property whose schema is an anyOf of objects", {
      schema: obj({ item: { anyOf: [obj({ a: S, b: S }, ["a"]), { type: "null" }] } }, ["item"]),
      given: { item: { a: "x", b: null } }, want: { item: { a: "x" } },
    }],
    ["a list inside an anyOf branch", { schema: { anyOf: [{ type: "array", items: obj({ a: S, b: S }, ["a"]) }, S] }, given: [{ a: "x", b: null }], want: [{ a: "x" }] }],
    ["additionalProperties", { schema: { type: "object", additionalProperties: obj({ a: S, b: S }, ["a"]) }, given: { k: { a: "x", b: null } }, want: { k: { a: "x" } } }],
    ["a scalar in an anyOf is left alone", { schema: { anyOf: [S, { type: "integer" }] }, given: 3, want: 3 }],
  ];
  for (const [name, { schema, given, want }] of cases) it(name, () => expect(dropStrictNulls(given, schema)).toEqual(want));

  it("hasOptionalNonNullable looks inside anyOf, items and additionalProperties", () => {
    expect(hasOptionalNonNullable({ anyOf: [obj({ a: S, b: S }, ["a"])] })).toBe(true);
    expect(hasOptionalNonNullable({ type: "object", additionalProperties: obj({ a: S }, []) })).toBe(true);
    expect(hasOptionalNonNullable({ anyOf: [obj({ a: S }, ["a"]), S] })).toBe(false);
  });
});

describe("a strict call whose output has an optional field inside an anyOf branch", () => {
  it("accepts the null the model must write for it", async () => {
    const server = await startMockServer({ replies: [{ json: { value: { id: "7", note: null } } }] });
    try {
      const schema: JsonSchema = { anyOf: [obj({ kind: S }, ["kind"]), obj({ id: S, note: S }, ["id"])] };
      const meta: PromptMeta = {
        id: "t/union", version: 1, hash: "sha256:2222222222222222", source: "prompts/t/union.prompt.yaml", description: null,
        model: { tier: "fast", chain: ["openai:gpt-5.4-mini"], providers: { openai: { type: "openai" } }, maxTokens: 20, temperature: 0, topP: null, stop: null },
        output: { format: "json", schema, strict: true, wrapped: true },
        policies: { retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null },
      };
      const Output = z.union([z.object({ kind: z.string() }).strict(), z.object({ id: z.string(), note: z.string().optional() }).strict()]);
      const fn = definePrompt<Record<string, never>, z.output<typeof Output>>(meta, { InputSchema: z.object({}), OutputSchema: Output }, () => [{ role: "user", content: "hi" }]);
      const rt = new Runtime({ env: {}, providers: { openai: { apiKey: "sk-test-0001", baseURL: server.openaiBaseURL } } });
      expect(await fn({}, { runtime: rt })).toEqual({ id: "7" });
      // The strict schema sent made `note` required and nullable inside the branch.
      const sent = (server.requests[0]!.body["response_format"] as { json_schema: { schema: { properties: { value: { anyOf: JsonSchema[] } } } } }).json_schema.schema.properties.value.anyOf[1]!;
      expect(sent).toMatchObject({ required: ["id", "note"], properties: { note: { type: ["string", "null"] } } });
    } finally {
      await server.close();
    }
  });
});
