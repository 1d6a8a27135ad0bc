// Anthropic Messages. Structured output is a forced tool call whose input is the output.
import type Anthropic from "@anthropic-ai/sdk";
import { fromSdkError } from "./transport-error.js";
import type { FinishReason, ProviderAdapter, ProviderRequest, ProviderResponse, ProviderSettings } from "./types.js";

export function anthropicAdapter(settings: ProviderSettings): ProviderAdapter {
  let client: Promise<Anthropic> | undefined;
  const getClient = () =>
    (client ??= import("@anthropic-ai/sdk").then(({ default: AnthropicClient }) => new AnthropicClient({
      apiKey: settings.apiKey ?? null,
      baseURL: settings.baseURL,
      maxRetries: 0, // one retry loop: ours
    })));

  return {
    name: settings.name,
    ready: () => getClient().then(() => undefined),
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      // Anthropic takes system prompts apart from the turns.
      const system = req.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
      const turns = req.messages.filter((m) => m.role !== "system").map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
      const tool = req.output.format === "json" ? toolFor(req.output.name, req.output.schema, req.output.wrapped) : undefined;
      const params: Anthropic.MessageCreateParamsNonStreaming = {
        model: req.model,
        max_tokens: req.maxTokens,
        messages: turns,
        ...(system ? { system } : {}),
        ...(req.temperature !== null ? { temperature: req.temperature } : {}),
        ...(req.topP !== null ? { top_p: req.topP } : {}),
        ...(req.stop ? { stop_sequences: [...req.stop] } : {}),
        ...(tool ? { tools: [tool], tool_choice: { type: "tool", name: tool.name } } : {}),
      };
      let message: Anthropic.Message;
      try {
        message = await (await getClient()).messages.create(params, { signal: req.signal });
      } catch (e) {
        throw fromSdkError(e, settings.name, req.model, req.signal, settings.apiKey);
      }
      const usage = { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens };
      const call = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use" && b.name === tool?.name);
      if (call && req.output.format === "json") {
        const input = call.input as Record<string, unknown>;
        const value = req.output.wrapped ? input["value"] : input;
        return { text: JSON.stringify(value) ?? "", value, model: message.model, finishReason: "stop", usage };
      }
      const text = message.content.filter((b): b is Anthropic.TextBlock => b.type === "text").map((b) => b.text).join("");
      return { text, model: message.model, finishReason: finish(message.stop_reason), usage };
    },
  };
}

/** The forced tool whose input schema is the output schema (wrapped in `{ value }` if it is not an object). */
function toolFor(name: string, schema: Record<string, unknown>, wrapped: boolean): Anthropic.Tool {
  const object = wrapped || schema["type"] !== "object" ? { type: "object", properties: { value: schema }, required: ["value"] } : schema;
  return { name, description: "Respond with the output by calling this tool.", input_schema: object as Anthropic.Tool.InputSchema };
}

function finish(reason: string | null): FinishReason {
  return reason === "end_turn" || reason === "stop_sequence" ? "stop" : reason === "max_tokens" ? "length" : reason === "refusal" ? "refusal" : "other";
}
