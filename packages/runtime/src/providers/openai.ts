// OpenAI chat completions, and any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio).
import type OpenAI from "openai";
import { providerStream } from "./stream.js";
import { fromSdkError } from "./transport-error.js";
import type { FinishReason, ProviderAdapter, ProviderRequest, ProviderResponse, ProviderSettings, ProviderStream } from "./types.js";

export function openaiAdapter(settings: ProviderSettings): ProviderAdapter {
  let client: Promise<OpenAI> | undefined;
  let loaded: OpenAI | undefined;
  // The SDK loads on the first call: importing the runtime stays cheap.
  const getClient = () =>
    (client ??= import("openai").then(({ default: OpenAIClient }) => (loaded = new OpenAIClient({
      apiKey: settings.apiKey ?? "not-needed",
      baseURL: settings.baseURL,
      maxRetries: 0, // one retry loop: ours
    }))));
  const compatible = settings.type === "openai-compatible";
  // Only OpenAI's own models: a compatible server's "o1-…" may well be something else.
  const reasoning = (model: string) => !compatible && isReasoningModel(model);

  function paramsFor(req: ProviderRequest): OpenAI.ChatCompletionCreateParamsNonStreaming {
    return {
      model: req.model,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      // OpenAI's own models take max_completion_tokens; compatible servers know max_tokens.
      ...(compatible ? { max_tokens: req.maxTokens } : { max_completion_tokens: req.maxTokens }),
      // OpenAI's reasoning models reject sampling parameters with a 400: leave them out there.
      ...(req.temperature !== null && !reasoning(req.model) ? { temperature: req.temperature } : {}),
      ...(req.topP !== null && !reasoning(req.model) ? { top_p: req.topP } : {}),
      ...(req.stop ? { stop: [...req.stop] } : {}),
      ...(req.output.format === "json"
        ? { response_format: { type: "json_schema", json_schema: { name: req.output.name, schema: { ...(req.output.strictSchema ?? req.output.schema) }, strict: req.output.strictSchema !== null } } }
        : {}),
    };
  }

  return {
    name: settings.name,
    ready: () => (loaded ? undefined : getClient().then(() => undefined)),
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      let completion: OpenAI.ChatCompletion;
      try {
        completion = await (loaded ?? (await getClient())).chat.completions.create(paramsFor(req), { signal: req.signal });
      } catch (e) {
        throw fromSdkError(e, settings.name, req.model, req.signal, settings.apiKey);
      }
      const choice = completion.choices[0];
      const message = choice?.message;
      return {
        text: message?.content ?? message?.refusal ?? "",
        model: completion.model || req.model,
        finishReason: message?.refusal ? "refusal" : finish(choice?.finish_reason),
        usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0, cachedInputTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0 },
      };
    },
    async stream(req: ProviderRequest): Promise<ProviderStream> {
      let events: AsyncIterable<OpenAI.ChatCompletionChunk>;
      try {
        events = await (loaded ?? (await getClient())).chat.completions.create({ ...paramsFor(req), stream: true, stream_options: { include_usage: true } }, { signal: req.signal });
      } catch (e) {
        throw fromSdkError(e, settings.name, req.model, req.signal, settings.apiKey);
      }
      return providerStream(events, (chunk, state) => {
        state.model = chunk.model || state.model;
        if (chunk.usage) {
          state.inputTokens = chunk.usage.prompt_tokens;
          state.outputTokens = chunk.usage.completion_tokens;
        }
        const choice = chunk.choices[0];
        if (choice?.finish_reason) state.finishReason = finish(choice.finish_reason);
        return choice?.delta.content ?? undefined;
      }, { provider: settings.name, request: req, apiKey: settings.apiKey });
    },
  };
}

function finish(reason: string | null | undefined): FinishReason {
  return reason === "stop" ? "stop" : reason === "length" ? "length" : reason === "content_filter" ? "content_filter" : "other";
}

/** OpenAI's reasoning models (o1, o3, o4-mini, GPT-5 and later), which take no temperature or top_p. */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (/^gpt-(5|[6-9])/.test(model) && !/-chat/.test(model));
}
