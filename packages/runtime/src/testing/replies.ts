// What a scripted reply can be, and the minimal schema-valid value the server answers with
// when no reply is scripted.
/** The two protocols the local server speaks. */
export type Protocol = "openai" | "anthropic";

export interface StreamFaults {
  /** Delay before the first content chunk. */
  firstChunkDelayMs?: number;
  /** Delay between chunks. */
  chunkDelayMs?: number;
  /** Characters of content per chunk (default 8). */
  chunkSize?: number;
  /** Close the connection after this many content chunks, without finishing the stream. */
  truncateAfter?: number;
  /** Stop sending after this many content chunks and keep the connection open. */
  hangAfter?: number;
}

/** Tokens a reply reports. `input` is all of the input: cache reads and writes are part of it. */
export interface MockUsage {
  input: number;
  output: number;
  /** Read from the prompt cache. */
  cacheRead?: number;
  /** Written to the prompt cache (Anthropic: its 5-minute cache). */
  cacheWrite?: number;
  /** Written to Anthropic's 1-hour cache. */
  cacheWrite1h?: number;
}

export interface MockReply {
  /** HTTP status; an error body in the protocol's shape is sent for >= 400 unless `body` is given. */
  status?: number;
  headers?: Record<string, string>;
  /** Delay before the response starts. */
  delayMs?: number;
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
  /** Send the status, headers and the start of the body, then nothing more (until the client gives up). */
  stallBody?: boolean;
  /** The raw response body, sent as is (malformed JSON, HTML error pages…). */
  body?: string;
  /** The assistant's text. */
  text?: string;
  /** A value the assistant answers with: JSON text, or the input of Anthropic's forced tool call. */
  json?: unknown;
  stream?: StreamFaults;
  usage?: MockUsage;
  /** finish_reason / stop_reason; default "stop" / "end_turn" ("tool_use" for tool calls). */
  finish?: string;
}

/** A minimal value that satisfies a JSON Schema (the subset promptc emits). */
export function sampleFor(schema: unknown): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  if (Array.isArray(s["enum"])) return s["enum"][0];
  if ("const" in s) return s["const"];
  if (Array.isArray(s["anyOf"])) return sampleFor(s["anyOf"][0]);
  const type = Array.isArray(s["type"]) ? (s["type"] as string[]).find((t) => t !== "null") ?? "null" : s["type"];
  switch (type) {
    case "string":
      return s["format"] === "date" ? "2026-01-01" : s["format"] === "date-time" ? "2026-01-01T00:00:00Z" : typeof s["pattern"] === "string" && /^\^\[A-Z\]\{3\}\$$/.test(s["pattern"]) ? "EUR" : "sample";
    case "integer":
    case "number":
      return typeof s["minimum"] === "number" ? s["minimum"] : 0;
    case "boolean":
      return false;
    case "null":
      return null;
    case "array":
      return [];
    case "object": {
      const props = (s["properties"] ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sampleFor(v)]));
    }
    default:
      return null;
  }
}
