// OpenAI chat completions, as the official SDK expects them: JSON and server-sent events.
import { sampleFor, type MockReply, type MockUsage } from "./replies.js";

export interface Completion {
  id: string;
  model: string;
  content: string;
  finish: string;
  usage: MockUsage;
}

/** OpenAI's usage: prompt_tokens is all of the input; reads and writes are details of it. */
function usageJson(u: MockUsage): Record<string, unknown> {
  const details = u.cacheRead || u.cacheWrite ? { prompt_tokens_details: { cached_tokens: u.cacheRead ?? 0, ...(u.cacheWrite ? { cache_write_tokens: u.cacheWrite } : {}) } } : {};
  return { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output, ...details };
}

export function openaiJson(c: Completion): unknown {
  return {
    id: c.id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: c.model,
    choices: [{ index: 0, message: { role: "assistant", content: c.content, refusal: null }, logprobs: null, finish_reason: c.finish }],
    usage: usageJson(c.usage),
  };
}

export function openaiChunk(c: Completion, delta: Record<string, unknown>, finish: string | null): string {
  const chunk = { id: c.id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: c.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export function openaiUsageChunk(c: Completion): string {
  const chunk = { id: c.id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: c.model, choices: [], usage: usageJson(c.usage) };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export const OPENAI_DONE = "data: [DONE]\n\n";

export function openaiError(status: number, message: string): unknown {
  const type = status === 429 ? "rate_limit_exceeded" : status === 401 ? "invalid_api_key" : status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { message, type, param: null, code: type } };
}

/** The text the assistant sends for an OpenAI request. */
export function openaiContent(reply: MockReply, request: Record<string, unknown>): string {
  if (reply.text !== undefined) return reply.text;
  if (reply.json !== undefined) return JSON.stringify(reply.json);
  const format = request["response_format"] as { type?: string; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type === "json_schema") return JSON.stringify(sampleFor(format.json_schema?.schema));
  return "Hello from the promptc local server.";
}
