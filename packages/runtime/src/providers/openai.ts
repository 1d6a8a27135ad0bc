// OpenAI chat completions, and any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio).
import type OpenAI from "openai";
import { providerStream } from "./stream.js";
import { AttemptLimit } from "./attempt-limit.js";
import { fromSdkError } from "../errors/transport-error.js";
import { importOptional } from "../pure/optional-package.js";
import { wireSchema } from "../pure/wire.js";
import type { FinishReason, ProviderAdapter, ProviderRequest, ProviderResponse, ProviderSettings, ProviderStream } from "../contract/provider.js";

export function openaiAdapter(settings: ProviderSettings): ProviderAdapter {
  let client: Promise<OpenAI> | undefined;
  let loaded: OpenAI | undefined;
  // The SDK loads on the first call: importing the runtime stays cheap.
  const getClient = () =>
    (client ??= importOptional("openai", `the ${settings.name} provider`, () => import("openai")).then(({ default: OpenAIClient }) => (loaded = new OpenAIClient({
      apiKey: settings.apiKey ?? "not-needed",
      baseURL: settings.baseURL,
      maxRetries: 0, // one retry loop: ours
    }))));
  const compatible = settings.type === "openai-compatible";
  // Only OpenAI's own models: a compatible server's "o1-…" may well be something else.
  const reasoningModels = new Map<string, boolean>();
  const reasoning = (model: string): boolean => {
    let r = reasoningModels.get(model);
    if (r === undefined) reasoningModels.set(model, (r = !compatible && isReasoningModel(model)));
    return r;
  };

  // The same for every call of a prompt (its output spec is a constant): built once.
  const formats = new WeakMap<object, OpenAI.ResponseFormatJSONSchema>();
  const responseFormat = (output: Extract<ProviderRequest["output"], { format: "json" }>): OpenAI.ResponseFormatJSONSchema => {
    let f = formats.get(output);
    if (!f) {
      const schema = (output.strictSchema ?? wireSchema(output.schema, output.wrapped)) as { [key: string]: unknown };
      formats.set(output, (f = { type: "json_schema", json_schema: { name: output.name, schema, strict: output.strictSchema !== null } }));
    }
    return f;
  };

  function paramsFor(req: ProviderRequest): OpenAI.ChatCompletionCreateParamsNonStreaming {
    const params: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: req.model,
      // Our messages are exactly { role, content }; the SDK only reads them.
      messages: req.messages as OpenAI.ChatCompletionMessageParam[],
    };
    // OpenAI's own models take max_completion_tokens; compatible servers know max_tokens.
    if (compatible) params.max_tokens = req.maxTokens;
    else params.max_completion_tokens = req.maxTokens;
    // OpenAI's reasoning models reject sampling parameters with a 400: leave them out there.
    if (req.temperature !== null && !reasoning(req.model)) params.temperature = req.temperature;
    if (req.topP !== null && !reasoning(req.model)) params.top_p = req.topP;
    if (req.stop) params.stop = [...req.stop];
    if (req.output.format === "json") params.response_format = responseFormat(req.output);
    return params;
  }

  return {
    name: settings.name,
    ready: () => (loaded ? undefined : getClient().then(() => undefined)),
    enforcesTimeout: true,
    // The schema as sent, one token per UTF-8 byte at most; messages are bounded by the loop.
    inputOverheadBound: (output) => (output.format === "json" ? Buffer.byteLength(JSON.stringify(responseFormat(output)), "utf8") : 0),
    async complete(req: ProviderRequest): Promise<ProviderResponse> {
      const ms = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const limit = new AttemptLimit(ms, req.signal, settings.name, req.model);
      let completion: OpenAI.ChatCompletion;
      try {
        const options: OpenAI.RequestOptions = { timeout: ms };
        if (req.signal) options.signal = req.signal;
        const client = loaded ?? (await getClient());
        const response = await limit.response(client.chat.completions.create(paramsFor(req), options).asResponse(), (e) => fromSdkError(e, settings.name, req.model, req.signal, settings.apiKey));
        completion = await limit.json<OpenAI.ChatCompletion>(response);
      } finally {
        limit.dispose();
      }
      const choice = completion.choices[0];
      const message = choice?.message;
      return {
        text: message?.content ?? message?.refusal ?? "",
        model: completion.model || req.model,
        finishReason: message?.refusal ? "refusal" : finish(choice?.finish_reason),
        usage: usageOf(completion.usage),
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
        if (chunk.usage) state.usage = usageOf(chunk.usage);
        const choice = chunk.choices[0];
        if (choice?.finish_reason) state.finishReason = finish(choice.finish_reason);
        return choice?.delta.content ?? undefined;
      }, { provider: settings.name, request: req, apiKey: settings.apiKey });
    },
  };
}

/** OpenAI's usage: prompt_tokens includes the cache reads (cached_tokens) and writes (cache_write_tokens, GPT-5.6 and later). */
function usageOf(u: OpenAI.CompletionUsage | null | undefined): ProviderResponse["usage"] {
  const usage: ProviderResponse["usage"] = { inputTokens: u?.prompt_tokens ?? 0, outputTokens: u?.completion_tokens ?? 0 };
  const read = u?.prompt_tokens_details?.cached_tokens;
  const written = u?.prompt_tokens_details?.cache_write_tokens;
  if (read) usage.cachedInputTokens = read;
  if (written) usage.cacheWriteTokens = written;
  return usage;
}

/** Without a timeout from the loop (a direct use of the adapter), the SDK's own default. */
const DEFAULT_TIMEOUT_MS = 600_000;

function finish(reason: string | null | undefined): FinishReason {
  return reason === "stop" ? "stop" : reason === "length" ? "length" : reason === "content_filter" ? "content_filter" : "other";
}

/** OpenAI's reasoning models (o1, o3, o4-mini, GPT-5 and later), which take no temperature or top_p. */
function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (/^gpt-(5|[6-9])/.test(model) && !/-chat/.test(model));
}
