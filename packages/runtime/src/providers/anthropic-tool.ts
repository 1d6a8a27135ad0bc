// Structured output on Anthropic is a forced tool whose input is the output. What that tool is,
// what Anthropic's API accepts as its input schema, and what sending it costs: one place, read
// by the adapter (requests and reservations) and by the build (PC1407).
import { wireSchema } from "../pure/wire.js";

export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: { type: "object"; [key: string]: unknown };
}


/** Anthropic's rule for tool names. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The forced tool whose input schema is the output schema as it travels (see wire.ts). */
export function toolFor(name: string, schema: Record<string, unknown>, wrapped: boolean): AnthropicTool {
  return { name, description: "Respond with the output by calling this tool.", input_schema: wireSchema(schema, wrapped) as AnthropicTool["input_schema"] };
}

/** The request fields that force the output tool: `tools` and `tool_choice`, as sent. */
export function forcedToolParams(name: string, schema: Record<string, unknown>, wrapped: boolean): { tools: [AnthropicTool]; tool_choice: { type: "tool"; name: string } } {
  const tool = toolFor(name, schema, wrapped);
  return { tools: [tool], tool_choice: { type: "tool", name: tool.name } };
}

/**
 * Why Anthropic's API would answer 400 to this tool, or [] when it takes it: the input schema
 * must be an object at its root (a `{ value }` wrapper where the output is not one), without
 * anyOf, oneOf or allOf there ("input_schema does not support oneOf, allOf, or anyOf at the top
 * level"), and the name must be 1–64 letters, digits, `_` or `-`.
 */
export function anthropicToolProblems(tool: AnthropicTool): string[] {
  const problems: string[] = [];
  const schema = tool.input_schema as Record<string, unknown>;
  if (schema["type"] !== "object") problems.push(`its input schema must have type "object" at the root, not ${JSON.stringify(schema["type"] ?? null)}`);
  for (const k of ["anyOf", "oneOf", "allOf"]) if (k in schema) problems.push(`its input schema may not use ${k} at the root`);
  if (!TOOL_NAME.test(tool.name)) problems.push(`the tool name ${JSON.stringify(tool.name)} must be 1 to 64 letters, digits, _ or -`);
  return problems;
}
