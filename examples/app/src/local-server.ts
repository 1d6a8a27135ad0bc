// Without an API key, the example runs against promptc's bundled local server: it answers
// like OpenAI and Anthropic, on 127.0.0.1, and can inject outages. Its replies come from a
// few rules over the request (a stand-in model, good enough for a demo and for recording the
// example evals' cassettes); anything else gets a schema-valid sample.
import { configureRuntime } from "@promptc/runtime";
import { sampleFor, startMockServer, type MockReply, type MockRequest, type MockServer } from "@promptc/runtime/testing";

const textOf = (request: MockRequest): string => {
  const messages = (request.body["messages"] as { content: unknown }[] | undefined) ?? [];
  return messages.map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))).join("\n");
};

/** Replies that read like a model's for the example prompts. */
function demoReply(request: MockRequest): MockReply {
  const format = request.body["response_format"] as { json_schema?: { name?: string; schema?: unknown } } | undefined;
  const tool = (request.body["tools"] as { name?: string; input_schema?: unknown }[] | undefined)?.[0];
  const name = format?.json_schema?.name ?? tool?.name ?? "";
  const text = textOf(request);
  const ticket = /Ticket: (.*)/.exec(text)?.[1] ?? "";
  if (name.includes("route-ticket")) {
    const queue = /charg|refund|invoice|bill/i.test(ticket) ? "billing" : /crash|error|bug|upload/i.test(ticket) ? "technical" : /price|plan|upgrade/i.test(ticket) ? "sales" : "technical";
    return { json: { queue, confidence: 0.92, summary: `Customer says: ${ticket.replace(/\.$/, "")}.` } };
  }
  if (name.includes("refund-decision")) {
    const total = Number(/Order total: ([\d.]+)/.exec(text)?.[1] ?? 0);
    // Sure of a double charge; unsure of anything else.
    const sure = /twice|double/i.test(ticket);
    return { json: { decision: sure ? "refund" : "partial_refund", amount_usd: sure ? total : Math.round(total * 50) / 100, confidence: sure ? 0.95 : 0.55, reason: sure ? "You were charged twice; we refunded the extra charge." : "We can refund half of the order." } };
  }
  if (name.includes("extract-invoice")) {
    const total = /Total\s+([A-Z]{3})\s+([\d.]+)/.exec(text);
    return { json: {
      invoice_number: /INVOICE #(\S+)/.exec(text)?.[1] ?? "unknown",
      issue_date: /Date: (\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? "2026-01-01",
      due_date: null,
      vendor: { name: /\n([A-Z][\w ]+(?:Ltd|Inc|GmbH))\n/.exec(text)?.[1] ?? "unknown", vat_id: null },
      currency: total?.[1] ?? "EUR",
      line_items: [...text.matchAll(/(\w[\w ]*) x(\d+) @ ([\d.]+)/g)].map((m) => ({ description: m[1]!, quantity: Number(m[2]), unit_price: Number(m[3]) })),
      total: Number(total?.[2] ?? 0),
    } };
  }
  if (name.includes("answer-question")) {
    const passage = /\[(\w+)\][^\n]*\n([^\n]+)/.exec(text);
    return { json: passage ? { answer: passage[2]!, answerable: true, citations: [{ passage_id: passage[1]!, quote: passage[2]! }] } : { answer: "I don't know", answerable: false, citations: [] } };
  }
  if (name.includes("summarize")) {
    const doc = text.trim().split("\n").pop() ?? "";
    return { json: { headline: doc.split(/[.;]/)[0]!.split(" ").slice(0, 12).join(" "), bullets: doc.split(/(?<=\.)\s+/).filter(Boolean).slice(0, 3) } };
  }
  if (name.includes("judge")) {
    const criteria = /Criteria: (.*)/.exec(text)?.[1] ?? "";
    const output = /Reply:\n([\s\S]*?)\nEnd of reply/.exec(text)?.[1] ?? "";
    const words = criteria.toLowerCase().match(/"([^"]+)"/g)?.map((w) => w.slice(1, -1)) ?? [];
    const missing = words.filter((w) => !output.toLowerCase().includes(w));
    return { json: { pass: missing.length === 0, score: words.length ? 1 - missing.length / words.length : 1, reason: missing.length ? `the reply never says ${missing.map((w) => `"${w}"`).join(", ")}` : "the reply meets the criteria" } };
  }
  const schema = format?.json_schema?.schema ?? tool?.input_schema;
  if (schema) return { json: sampleFor(schema) };
  const customer = /Customer: (.*)/.exec(text)?.[1] ?? "there";
  const agent = /Sign the reply as (.*?)\.?$/m.exec(text)?.[1] ?? "Acme Support";
  return { text: `Hi ${customer}, thanks for writing in. Your order shipped on Monday and should arrive this week. — ${agent}`, stream: { chunkSize: 12, chunkDelayMs: 15 } };
}

export async function startLocalServer(options: { configure?: boolean } = {}): Promise<MockServer> {
  const server = await startMockServer({ handler: demoReply });
  if (options.configure !== false) {
    configureRuntime({
      providers: {
        openai: { baseURL: server.openaiBaseURL, apiKey: "local-server" },
        anthropic: { baseURL: server.anthropicBaseURL, apiKey: "local-server" },
      },
    });
  }
  return server;
}
