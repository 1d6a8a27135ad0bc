// The JSON Schemas shipped for editors (yaml-language-server), generated from the zod format.
import { z } from "zod";
import { ConfigFile } from "./config-file.js";
import { EvalFile } from "./eval-file.js";
import { PromptFile } from "./prompt-file.js";

export function promptFileJsonSchema(): Record<string, unknown> {
  return withId(z.toJSONSchema(PromptFile, { target: "draft-2020-12", io: "input", unrepresentable: "any" }), "prompt.schema.json");
}

export function configFileJsonSchema(): Record<string, unknown> {
  return withId(z.toJSONSchema(ConfigFile, { target: "draft-2020-12", io: "input", unrepresentable: "any" }), "config.schema.json");
}

export function evalFileJsonSchema(): Record<string, unknown> {
  return withId(z.toJSONSchema(EvalFile, { target: "draft-2020-12", io: "input", unrepresentable: "any" }), "eval.schema.json");
}

function withId(schema: Record<string, unknown>, name: string): Record<string, unknown> {
  return { ...schema, $id: `https://promptc.dev/schema/${name}` };
}
