// Anthropic Messages. Structured output is a forced tool call whose input is the output.
import type Anthropic from "@anthropic-ai/sdk";
import { AttemptLimit } from "./attempt-limit.js";
import { fromSdkError } from "../errors/transport-error.js";
import { importOptional } from "../pure/optional-package.js";
import { fromWire } from "../pure/wire.js";
import { forcedToolParams } from "./anthropic-tool.js";
import { TOOL_USE_SYSTEM_PROMPT_TOKENS } from "./tool-use-prompt.js";
import { providerStream } from "./stream.js";
import type { FinishReason, ProviderAdapter, ProviderRequest, ProviderResponse, ProviderSettings, ProviderStream } from "../contract/provider.js";

export function anthropicAdapter(settings: ProviderSettings): ProviderAdapter {
  let client: Promise<Anthropic> | undefined;
  let loaded: Anthropic | undefined;
  const getClient = () =>
    (client ??= importOptional("@anthropic-ai/sdk", `the ${settings.name} provider`, () => import("@anthropic-ai/sdk")).then(({ default: AnthropicClient }) => (loaded = new AnthropicClient({
      apiKey: settings.apiKey ?? null,
      baseURL: settings.baseURL,
      maxRetries: 0, // one retry loop: ours
    }))));

  // The same for every call of a prompt (its output spec is a constant): built once.
  const forced = new WeakMap<object, ReturnType<typeof forcedToolParams>>();
  const forcedFor = (output: Extract<ProviderRequest["output"], { format: "json" }>) => {
    let f = forced.get(output);
    if (!f) forced.set(output, (f = forcedToolParams(output.name, output.schema, output.wrapped)));
    return f;
  };

  return {
    name: settings.name,
    ready: () => (loaded ? undefined : getClient().then(() => undefined)),
    enforcesTimeout: true,
    // The forced tool and tool_choice as sent, one token per byte at most, and the tool prompt.
    inputOverheadBound: (output) => (output.format === "json" ? Buffer.byteLength(JSON.stringify(forcedFor(output)), "utf8") + TOOL_USE_SYSTEM_PROMPT_TOKENS : 0),
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      const { params, tool } = paramsFor(req);
      const ms = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const limit = new AttemptLimit(ms, req.signal, settings.name, req.model);
      let message: Anthropic.Message;
      try {
        const options: Anthropic.RequestOptions = { timeout: ms };
        if (req.signal) options.signal = req.signal;
        const client = loaded ?? (await getClient());
        const response = await limit.response(client.messages.create(params, options).asResponse(), (e) => fromSdkError(e, settings.name, req.model, req.signal, settings.apiKey));
        message = await limit.json<Anthropic.Message>(response);
      } finally {
        limit.dispose();
      }
      const usage = usageOf(message.usage, message.usage.output_tokens);
      const call = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use" && b.name === tool?.name);
      if (call && req.output.format === "json") {
        const input = call.input as Record<string, unknown>;
        const value = fromWire(input, req.output.wrapped);
        return { text: JSON.stringify(value) ?? "", value, model: message.model, finishReason: "stop", usage };
      }
      const text = message.content.filter((b): b is Anthropic.TextBlock => b.type === "text").map((b) => b.text).join("");
      return { text, model: message.model, finishReason: finish(message.stop_reason), usage };
    },
    async stream(req: ProviderRequest): Promise<ProviderStream> {
      const { params, tool } = paramsFor(req);
      let events: AsyncIterable<Anthropic.RawMessageStreamEvent>;
      try {
        events = await (loaded ?? (await getClient())).messages.create({ ...params, stream: true }, { signal: req.signal });
      } catch (e) {
        throw fromSdkError(e, settings.name, req.model, req.signal, settings.apiKey);
      }
      const wrapped = req.output.format === "json" && req.output.wrapped;
      let started: Anthropic.Usage | undefined;
      return providerStream(events, (event, state) => {
        if (event.type === "message_start") {
          state.model = event.message.model;
          started = event.message.usage;
          state.usage = usageOf(started, 0);
        } else if (event.type === "message_delta") {
          // The delta's usage is cumulative; its input fields, when present, are the final ones.
          // (It does not split cache writes by duration: message_start's split stands.)
          state.usage = event.usage.input_tokens != null ? usageOf({ ...event.usage, cache_creation: started?.cache_creation ?? null }, event.usage.output_tokens) : { ...state.usage, outputTokens: event.usage.output_tokens };
          state.finishReason = event.delta.stop_reason === "tool_use" ? "stop" : finish(event.delta.stop_reason);
        } else if (event.type === "content_block_delta") {
          // A forced tool streams its input as JSON; that JSON is the output.
          if (event.delta.type === "text_delta" && !tool) return event.delta.text;
          if (event.delta.type === "input_json_delta" && tool) return event.delta.partial_json;
        }
        return undefined;
      }, { provider: settings.name, request: req, apiKey: settings.apiKey, ...(wrapped ? { unwrap: (text: string) => fromWire(JSON.parse(text), true) } : {}) });
    },
  };

  function paramsFor(req: ProviderRequest): { params: Anthropic.MessageCreateParamsNonStreaming; tool: Anthropic.Tool | undefined } {
    // Anthropic takes system prompts apart from the turns.
    const system = req.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
    const turns = req.messages.filter((m) => m.role !== "system").map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
    const force = req.output.format === "json" ? forcedFor(req.output) : undefined;
    const tool = force?.tools[0];
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: req.model,
      max_tokens: req.maxTokens,
      messages: turns,
      ...(system ? { system } : {}),
      ...(req.temperature !== null ? { temperature: req.temperature } : {}),
      ...(req.topP !== null ? { top_p: req.topP } : {}),
      ...(req.stop ? { stop_sequences: [...req.stop] } : {}),
      ...force,
    };
    return { params, tool };
  }
}

/**
 * Anthropic's usage: input_tokens excludes cache reads and writes; ours includes both. Writes
 * split into the 5-minute and 1-hour caches when the reply says which.
 */
interface AnthropicUsage {
  input_tokens: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_1h_input_tokens?: number } | null;
}

function usageOf(u: AnthropicUsage, outputTokens: number): ProviderResponse["usage"] {
  const read = u.cache_read_input_tokens ?? 0;
  const written = u.cache_creation_input_tokens ?? 0;
  const usage: ProviderResponse["usage"] = { inputTokens: (u.input_tokens ?? 0) + read + written, outputTokens };
  if (read) usage.cachedInputTokens = read;
  if (written) {
    const oneHour = Math.min(u.cache_creation?.ephemeral_1h_input_tokens ?? 0, written);
    if (written - oneHour) usage.cacheWriteTokens = written - oneHour;
    if (oneHour) usage.cacheWrite1hTokens = oneHour;
  }
  return usage;
}

/** Without a timeout from the loop (a direct use of the adapter), the SDK's own default. */
const DEFAULT_TIMEOUT_MS = 600_000;

function finish(reason: string | null): FinishReason {
  return reason === "end_turn" || reason === "stop_sequence" ? "stop" : reason === "max_tokens" ? "length" : reason === "refusal" ? "refusal" : "other";
}
