// Without an API key, the example runs against promptc's bundled local server: it answers
// like OpenAI and Anthropic, with sample replies, on 127.0.0.1, and can inject outages.
import { configureRuntime } from "@promptc/runtime";
import { sampleFor, startMockServer, type MockRequest, type MockServer } from "@promptc/runtime/testing";

/** Replies that read like a model's for the example prompts; schema-valid samples otherwise. */
function reply(request: MockRequest) {
  const format = request.body["response_format"] as { json_schema?: { name?: string; schema?: unknown } } | undefined;
  const tool = (request.body["tools"] as { name?: string; input_schema?: unknown }[] | undefined)?.[0];
  const name = format?.json_schema?.name ?? tool?.name ?? "";
  if (name.includes("route-ticket")) return { json: { queue: "billing", confidence: 0.92, summary: "Customer was charged twice this month." } };
  const schema = format?.json_schema?.schema ?? tool?.input_schema;
  return schema ? { json: sampleFor(schema) } : { text: "Hi Ana, thanks for writing in. Your order shipped on Monday and should arrive this week. — Sam", stream: { chunkSize: 12, chunkDelayMs: 15 } };
}

export async function startLocalServer(): Promise<MockServer> {
  const server = await startMockServer({ handler: reply });
  configureRuntime({
    providers: {
      openai: { baseURL: server.openaiBaseURL, apiKey: "local-server" },
      anthropic: { baseURL: server.anthropicBaseURL, apiKey: "local-server" },
    },
  });
  return server;
}
