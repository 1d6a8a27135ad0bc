// What the local server bills as input: everything a request carries that a provider bills,
// not only the message text. Messages with their framing, Anthropic's system prompt, OpenAI's
// response_format, tool definitions, and the system prompt Anthropic adds when tools are sent
// (313 tokens for a forced tool, 346 otherwise: docs.anthropic.com, "Tool use pricing").
import { TOOL_USE_PROMPT } from "../providers/tool-use-prompt.js";
import { PER_MESSAGE, REPLY_PRIMING } from "../tokens/count.js";
import type { Protocol } from "./replies.js";

export interface Billing {
  /**
   * One token per UTF-8 byte: the most any byte-level tokenizer can count, so a test can hold
   * a budget to the worst bill a request could get. Default: about four bytes a token.
   */
  perByte?: boolean;
  /** Tokens billed on top of every request, as a provider with an undocumented overhead would. */
  extraInputTokens?: number;
}


const bytes = (v: unknown): number => (v === undefined ? 0 : Buffer.byteLength(typeof v === "string" ? v : JSON.stringify(v), "utf8"));

/** Input tokens for a chat completions or messages request body. */
export function billedInputTokens(protocol: Protocol, body: Record<string, unknown>, billing: Billing = {}): number {
  let size = REPLY_PRIMING;
  let fixed = billing.extraInputTokens ?? 0;
  const messages = Array.isArray(body["messages"]) ? (body["messages"] as { role?: unknown; content?: unknown }[]) : [];
  for (const m of messages) size += bytes(m.role) + bytes(m.content) + PER_MESSAGE;
  if (protocol === "openai") {
    size += bytes(body["response_format"]) + bytes(body["tools"]);
  } else {
    if (body["system"] !== undefined) size += bytes("system") + bytes(body["system"]) + PER_MESSAGE;
    if (Array.isArray(body["tools"]) && body["tools"].length) {
      size += bytes({ tools: body["tools"], tool_choice: body["tool_choice"] });
      const choice = (body["tool_choice"] as { type?: string } | undefined)?.type;
      fixed += choice === "tool" || choice === "any" ? TOOL_USE_PROMPT.forced : TOOL_USE_PROMPT.auto;
    }
  }
  return (billing.perByte ? size : Math.ceil(size / 4)) + fixed;
}
