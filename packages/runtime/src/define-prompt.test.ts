// definePrompt: the typed function generated modules export.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "./define-prompt.js";
import { InputValidationError, PromptError, ProviderNotConfiguredError } from "./errors/prompt-errors.js";
import type { Message, PromptMeta } from "./contract/prompt.js";
import { Runtime } from "./runtime.js";

const schema = { type: "object", properties: { a: { type: "string" }, b: { type: ["integer", "null"] } }, required: ["a"], additionalProperties: false };
const meta = (output: Partial<PromptMeta["output"]> = {}): PromptMeta => ({
  id: "t/greet",
  version: 2,
  hash: "sha256:0123456789abcdef",
  source: "prompts/t/greet.prompt.yaml",
  description: null,
  model: { tier: "fast", chain: ["openai:gpt-4.1-mini", "local:llama3.1:8b"], providers: { openai: { type: "openai" }, local: { type: "openai-compatible", api_key_env: "LOCAL_KEY" } }, maxTokens: 50, temperature: 0, topP: null, stop: null },
  output: { format: "json", schema, strict: true, wrapped: false, ...output },
  policies: { retry: { attempts: 1, timeoutMs: 1000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null },
});
const Input = z.object({ name: z.string(), n: z.number().nullish() });
type Input = z.output<typeof Input>;
const render = (i: Input): Message[] => [{ role: "user", content: `Hi ${i.name}` }];

describe("definePrompt", () => {
  const fn = definePrompt<Input, { a: string }>(meta(), { InputSchema: Input, OutputSchema: z.object({ a: z.string() }) }, render);

  it("renders the exact request", async () => {
    const r = await fn.render({ name: "Ana" });
    expect(r.messages).toEqual([{ role: "user", content: "Hi Ana" }]);
    expect(r.prompt).toEqual({ id: "t/greet", version: 2, hash: "sha256:0123456789abcdef" });
    expect(r.models).toEqual([{ provider: "openai", model: "gpt-4.1-mini" }, { provider: "local", model: "llama3.1:8b" }]);
    expect(r.maxTokens).toBe(50);
    expect(r.output.schema).toBe(schema);
    expect(r.output.strictSchema).toEqual({ type: "object", properties: { a: { type: "string" }, b: { type: ["integer", "null"] } }, required: ["a", "b"], additionalProperties: false });
  });

  it("has no strict schema when the prompt cannot be strict, or outputs text", async () => {
    expect((await definePrompt(meta({ strict: false }), { InputSchema: Input, OutputSchema: z.string() }, render).render({ name: "x" })).output.strictSchema).toBeNull();
    expect((await definePrompt(meta({ format: "text", schema: null, strict: false }), { InputSchema: Input, OutputSchema: z.string() }, render).render({ name: "x" })).output.strictSchema).toBeNull();
  });

  it("rejects invalid input with a typed error that names the field", async () => {
    const error: unknown = await fn.render({ name: 3 } as unknown as Input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    const e = error as InputValidationError;
    expect(e).toBeInstanceOf(PromptError);
    expect(e.code).toBe("E_INPUT_INVALID");
    expect([e.promptId, e.version, e.hash]).toEqual(["t/greet", 2, "sha256:0123456789abcdef"]);
    expect(e.message).toContain("→ at name");
    expect(e.issues[0]?.path).toEqual(["name"]);
  });

  it("calling with no reachable provider rejects with a typed error that says what to set", async () => {
    const runtime = new Runtime({ env: {} });
    await expect(fn({ name: "Ana" }, { runtime })).rejects.toBeInstanceOf(ProviderNotConfiguredError);
    await expect(fn({ name: "Ana" }, { runtime })).rejects.toMatchObject({ code: "E_NO_PROVIDER", promptId: "t/greet", message: expect.stringContaining("Set OPENAI_API_KEY or LOCAL_KEY") });
    await expect(fn({ name: 1 } as unknown as Input, { runtime })).rejects.toBeInstanceOf(InputValidationError);
    expect(runtime.memory.records.map((r) => r.errorCode)).toEqual(["E_NO_PROVIDER", "E_NO_PROVIDER", "E_INPUT_INVALID"]);
  });
});
