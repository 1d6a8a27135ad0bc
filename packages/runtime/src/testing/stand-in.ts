// The local server's stand-in model (`promptc serve`, `promptc eval --local`): not a model, a
// few plain rules, so an app and its evals run end to end with no key and no network.
// - A text reply echoes the last user message.
// - A JSON reply is a schema-valid value: an enum takes the first of its values that the last
//   user message names (else its first value); a string is the start of that message.
import type { MockReply } from "./replies.js";
import type { MockRequest } from "./server.js";

export function standInReply(request: MockRequest): MockReply {
  const said = lastUserText(request.body);
  const schema = outputSchema(request);
  if (schema === undefined) return { text: said };
  return { json: valueFor(schema, said.toLowerCase(), said) };
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = (body["messages"] as { role?: unknown; content?: unknown }[] | undefined) ?? [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  const content = last?.content;
  if (typeof content === "string") return content.trim();
  if (Array.isArray(content)) return content.map((c) => (typeof (c as { text?: unknown }).text === "string" ? (c as { text: string }).text : "")).join("").trim();
  return "";
}

function outputSchema(request: MockRequest): unknown {
  const body = request.body;
  if (request.protocol === "openai") {
    const format = body["response_format"] as { type?: string; json_schema?: { schema?: unknown } } | undefined;
    return format?.type === "json_schema" ? format.json_schema?.schema ?? {} : undefined;
  }
  const choice = body["tool_choice"] as { type?: string; name?: string } | undefined;
  const tools = (body["tools"] as { name: string; input_schema?: unknown }[] | undefined) ?? [];
  const forced = choice?.type === "tool" ? tools.find((t) => t.name === choice.name) : choice?.type === "any" ? tools[0] : undefined;
  return forced ? forced.input_schema ?? {} : undefined;
}

function valueFor(schema: unknown, lower: string, said: string): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  if (Array.isArray(s["enum"])) {
    const named = s["enum"].find((v) => typeof v === "string" && new RegExp(`\\b${v.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(lower));
    return named ?? s["enum"][0];
  }
  if ("const" in s) return s["const"];
  const union = (s["anyOf"] ?? s["oneOf"]) as unknown[] | undefined;
  if (Array.isArray(union)) return valueFor(union.find((b) => (b as { type?: unknown }).type !== "null") ?? union[0], lower, said);
  const type = Array.isArray(s["type"]) ? (s["type"] as string[]).find((t) => t !== "null") ?? "null" : s["type"];
  switch (type) {
    case "string": {
      if (s["format"] === "date") return "2026-01-01";
      if (s["format"] === "date-time") return "2026-01-01T00:00:00Z";
      if (typeof s["pattern"] === "string" || s["format"] !== undefined) return sampleString(s);
      const max = typeof s["maxLength"] === "number" ? s["maxLength"] : 200;
      const min = typeof s["minLength"] === "number" ? s["minLength"] : 0;
      const text = (said.split(/(?<=[.!?])\s/)[0] ?? said).slice(0, max);
      return text.length >= min ? text : text.padEnd(min, ".");
    }
    case "integer":
    case "number":
      return typeof s["minimum"] === "number" ? s["minimum"] : typeof s["exclusiveMinimum"] === "number" ? s["exclusiveMinimum"] + 1 : 0;
    case "boolean":
      return false;
    case "null":
      return null;
    case "array": {
      const min = typeof s["minItems"] === "number" ? s["minItems"] : 0;
      return Array.from({ length: min }, () => valueFor(s["items"], lower, said));
    }
    case "object": {
      const props = (s["properties"] ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueFor(v, lower, said)]));
    }
    default:
      return null;
  }
}

function sampleString(s: Record<string, unknown>): string {
  if (s["format"] === "email") return "someone@example.com";
  if (s["format"] === "uri") return "https://example.com";
  if (s["format"] === "uuid") return "00000000-0000-4000-8000-000000000000";
  if (typeof s["pattern"] === "string" && /^\^\[A-Z\]\{3\}\$$/.test(s["pattern"])) return "EUR";
  return "sample";
}
