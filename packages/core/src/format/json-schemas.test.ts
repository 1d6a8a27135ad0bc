// The JSON Schemas shipped for editors: current with the zod format, and right about real files.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configFileJsonSchema, evalFileJsonSchema, promptFileJsonSchema } from "./json-schemas.js";

const core = fileURLToPath(new URL("../../", import.meta.url));
const repo = join(core, "../../");
const shipped = (name: string) => JSON.parse(readFileSync(join(core, "schema", name), "utf8"));

describe("shipped JSON Schemas", () => {
  it("are current (run `pnpm gen:schemas` if this fails)", () => {
    expect(shipped("prompt.schema.json")).toEqual(promptFileJsonSchema());
    expect(shipped("config.schema.json")).toEqual(configFileJsonSchema());
    expect(shipped("eval.schema.json")).toEqual(evalFileJsonSchema());
  });

  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  const validatePrompt = ajv.compile(shipped("prompt.schema.json"));
  const validateConfig = ajv.compile(shipped("config.schema.json"));

  const promptFiles = readdirSync(join(repo, "prompts"), { recursive: true }).map(String).filter((f) => f.endsWith(".prompt.yaml"));
  it("accept every example prompt and the config", () => {
    expect(promptFiles.length).toBeGreaterThanOrEqual(5);
    for (const f of promptFiles) expect(validatePrompt(parse(readFileSync(join(repo, "prompts", f), "utf8"))), `${f}: ${ajv.errorsText(validatePrompt.errors)}`).toBe(true);
    expect(validateConfig(parse(readFileSync(join(repo, "promptc.config.yaml"), "utf8"))), ajv.errorsText(validateConfig.errors)).toBe(true);
  });

  const bad: [string, unknown][] = [
    ["a missing version", { model: { tier: "fast", max_tokens: 1 }, messages: [{ user: "x" }] }],
    ["an unknown key", { version: 1, modle: {}, model: { tier: "fast", max_tokens: 1 }, messages: [{ user: "x" }] }],
    ["a missing max_tokens", { version: 1, model: { tier: "fast" }, messages: [{ user: "x" }] }],
    ["a message with two roles", { version: 1, model: { tier: "fast", max_tokens: 1 }, messages: [{ user: "x", system: "y" }] }],
    ["a bad duration", { version: 1, model: { tier: "fast", max_tokens: 1 }, messages: [{ user: "x" }], retry: { timeout: "soon" } }],
  ];
  for (const [name, value] of bad) it(`reject ${name}`, () => expect(validatePrompt(value)).toBe(false));
});
