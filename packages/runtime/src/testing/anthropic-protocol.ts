// Anthropic Messages, as the official SDK expects them: JSON and server-sent events, with
// structured output as a forced tool call.
import { sampleFor, type MockReply, type MockUsage } from "./replies.js";

export interface Message {
  id: string;
  model: string;
  /** A text block, or a tool_use block when the request forces a tool. */
  block: { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };
  finish: string;
  usage: MockUsage;
}

/** Anthropic's usage: input_tokens leaves out the cache reads and writes, which come apart. */
function inputUsage(u: MockUsage): Record<string, unknown> {
  const read = u.cacheRead ?? 0;
  const w5 = u.cacheWrite ?? 0;
  const w1h = u.cacheWrite1h ?? 0;
  return {
    input_tokens: Math.max(u.input - read - w5 - w1h, 0),
    cache_read_input_tokens: read,
    cache_creation_input_tokens: w5 + w1h,
    cache_creation: { ephemeral_5m_input_tokens: w5, ephemeral_1h_input_tokens: w1h },
  };
}

/** The content block for a request: a forced tool call gets tool_use, anything else text. */
export function anthropicBlock(reply: MockReply, request: Record<string, unknown>, n: number): Message["block"] {
  const choice = request["tool_choice"] as { type?: string; name?: string } | undefined;
  const tools = (request["tools"] as { name: string; input_schema?: unknown }[] | undefined) ?? [];
  const forced = choice?.type === "tool" ? tools.find((t) => t.name === choice.name) : choice?.type === "any" ? tools[0] : undefined;
  if (forced && reply.text === undefined) {
    return { type: "tool_use", id: `toolu_mock_${n}`, name: forced.name, input: reply.json !== undefined ? reply.json : sampleFor(forced.input_schema) };
  }
  const text = reply.text ?? (reply.json !== undefined ? JSON.stringify(reply.json) : "Hello from the promptc local server.");
  return { type: "text", text };
}

export function anthropicJson(m: Message): unknown {
  return {
    id: m.id,
    type: "message",
    role: "assistant",
    model: m.model,
    content: [m.block],
    stop_reason: m.finish,
    stop_sequence: null,
    usage: { ...inputUsage(m.usage), output_tokens: m.usage.output },
  };
}

function anthropicEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export function anthropicStart(m: Message): string {
  const message = { id: m.id, type: "message", role: "assistant", model: m.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...inputUsage(m.usage), output_tokens: 1 } };
  const block = m.block.type === "text" ? { type: "text", text: "" } : { type: "tool_use", id: m.block.id, name: m.block.name, input: {} };
  return anthropicEvent("message_start", { message }) + anthropicEvent("content_block_start", { index: 0, content_block: block });
}

export function anthropicDelta(m: Message, piece: string): string {
  const delta = m.block.type === "text" ? { type: "text_delta", text: piece } : { type: "input_json_delta", partial_json: piece };
  return anthropicEvent("content_block_delta", { index: 0, delta });
}

export function anthropicEnd(m: Message): string {
  return (
    anthropicEvent("content_block_stop", { index: 0 }) +
    anthropicEvent("message_delta", { delta: { stop_reason: m.finish, stop_sequence: null }, usage: { output_tokens: m.usage.output } }) +
    anthropicEvent("message_stop", {})
  );
}

/** The text a stream sends in deltas: the text, or the tool input as JSON. */
export function anthropicStreamText(m: Message): string {
  return m.block.type === "text" ? m.block.text : JSON.stringify(m.block.input);
}

export function anthropicError(status: number, message: string): unknown {
  const type = status === 429 ? "rate_limit_error" : status === 401 ? "authentication_error" : status === 529 ? "overloaded_error" : status >= 500 ? "api_error" : "invalid_request_error";
  return { type: "error", error: { type, message } };
}
