// Schema IR → the JSON Schema variant OpenAI's strict structured outputs accept:
// every property required, optional ones nullable, additionalProperties false, object at the root.
import type { ObjectNode, SchemaNode } from "../../schema/ir.js";
import { toJsonSchema, type JsonSchema } from "./json-schema.js";
import { travelsWrapped, WRAP_KEY } from "@promptc/runtime";
import { OPENAI_STRICT_FORMATS, OPENAI_STRICT_UNSUPPORTED } from "@promptc/runtime/providers";

export type StrictResult =
  /** `local`: constraints strict mode does not take, left out of the strict schema and checked on the reply (in words, with where). */
  | { strict: true; schema: JsonSchema; wrapped: boolean; local?: string[] }
  /** `limit`: the schema could be strict, but passes a limit OpenAI's API enforces on strict schemas. */
  | { strict: false; reason: string; limit?: true };

/** What OpenAI's API accepts in a strict schema (structured outputs); past these it answers 400. */
const OPENAI_STRICT_LIMITS = { nesting: 10, properties: 5000, enumValues: 1000, enumChars: 120_000 } as const;


/** `json`: the node's JSON Schema, when the caller has it already. */
export function toOpenAIStrict(node: SchemaNode, json: JsonSchema = toJsonSchema(node)): StrictResult {
  const problem = strictProblem(node, "output");
  if (problem) return { strict: false, reason: problem };
  const wrapped = travelsWrapped(json);
  const root: SchemaNode = wrapped ? ({ kind: "object", properties: [{ name: WRAP_KEY, schema: node, required: true }], additional: false } satisfies ObjectNode) : node;
  const schema = toJsonSchema(strictify(root)) as JsonSchema;
  const over = overStrictLimits(schema);
  if (over) return { strict: false, reason: over, limit: true };
  const local = locallyChecked(node, "output");
  return local.length ? { strict: true, schema, wrapped, local } : { strict: true, schema, wrapped };
}

/** What strictify leaves out, as "`minLength` at output.name". */
function locallyChecked(node: SchemaNode, at: string): string[] {
  const out: string[] = [];
  // The IR's fields are named as the JSON Schema keywords they hold.
  for (const k of OPENAI_STRICT_UNSUPPORTED) if (k in node) out.push(`\`${k}\` at ${at}`);
  if (node.kind === "string" && node.format !== undefined && !OPENAI_STRICT_FORMATS.includes(node.format)) out.push(`\`format: ${node.format}\` at ${at}`);
  if (node.kind === "union" && node.exclusive) out.push(`\`oneOf (sent as anyOf)\` at ${at}`);
  if (node.kind === "array") out.push(...locallyChecked(node.items, `${at}[]`));
  if (node.kind === "object") for (const p of node.properties) out.push(...locallyChecked(p.schema, `${at}.${p.name}`));
  if (node.kind === "union") for (const v of node.variants) out.push(...locallyChecked(v, at));
  return out;
}

/** Which of OpenAI's strict-mode limits the schema passes, in words, or undefined. */
function overStrictLimits(schema: JsonSchema): string | undefined {
  let deepest = 0;
  let properties = 0;
  let enumValues = 0;
  let enumChars = 0;
  const walk = (s: unknown, depth: number): void => {
    if (!s || typeof s !== "object") return;
    const node = s as Record<string, unknown>;
    const props = node["properties"] as Record<string, unknown> | undefined;
    const level = props ? depth + 1 : depth;
    deepest = Math.max(deepest, level);
    if (props) {
      properties += Object.keys(props).length;
      for (const v of Object.values(props)) walk(v, level);
    }
    if (Array.isArray(node["enum"])) {
      enumValues += node["enum"].length;
      for (const v of node["enum"]) if (typeof v === "string") enumChars += v.length;
    }
    walk(node["items"], level);
    for (const v of (node["anyOf"] as unknown[] | undefined) ?? []) walk(v, level);
  };
  walk(schema, 0);
  const L = OPENAI_STRICT_LIMITS;
  const n = (x: number) => x.toLocaleString("en-US");
  if (deepest > L.nesting) return `it nests objects ${deepest} levels deep; OpenAI's strict mode takes at most ${L.nesting}`;
  if (properties > L.properties) return `it has ${n(properties)} properties; OpenAI's strict mode takes at most ${n(L.properties)}`;
  if (enumValues > L.enumValues) return `it has ${n(enumValues)} enum values; OpenAI's strict mode takes at most ${n(L.enumValues)}`;
  if (enumChars > L.enumChars) return `its enum values total ${n(enumChars)} characters; OpenAI's strict mode takes at most ${n(L.enumChars)}`;
  return undefined;
}

function strictify(node: SchemaNode): SchemaNode {
  const { default: _d, examples: _e, title: _t, ...rest } = node;
  const n = withoutKeys(rest, OPENAI_STRICT_UNSUPPORTED) as SchemaNode;
  switch (n.kind) {
    case "string":
      if (n.format !== undefined && !OPENAI_STRICT_FORMATS.includes(n.format)) delete n.format;
      return n;
    case "object":
      return {
        ...n,
        additional: false,
        properties: n.properties.map((p) => ({
          name: p.name,
          required: true,
          schema: p.required ? strictify(p.schema) : { ...strictify(p.schema), nullable: true },
        })),
      };
    case "array":
      return { ...n, items: strictify(n.items) };
    case "union": {
      const { exclusive: _x, ...u } = n;
      return { ...u, variants: n.variants.map(strictify) };
    }
    default:
      return n;
  }
}

/** A copy without the keys (the IR names its fields as the JSON Schema keywords they hold). */
function withoutKeys<T extends object>(o: T, keys: readonly string[]): T {
  const copy = { ...o } as Record<string, unknown>;
  for (const k of keys) delete copy[k];
  return copy as T;
}

/** Why this schema cannot be sent in strict mode, or undefined when it can. */
function strictProblem(node: SchemaNode, at: string): string | undefined {
  switch (node.kind) {
    case "any":
      return `${at} has no type (any); strict mode needs every value typed`;
    case "never":
      return `${at} allows no value (false); strict mode has no way to say that`;
    case "object":
      if (node.additional !== false) return `${at} allows extra keys; strict mode needs additionalProperties: false`;
      for (const p of node.properties) {
        const inner = strictProblem(p.schema, `${at}.${p.name}`);
        if (inner) return inner;
      }
      return undefined;
    case "array":
      return strictProblem(node.items, `${at}[]`);
    case "union":
      for (const v of node.variants) {
        const inner = strictProblem(v, at);
        if (inner) return inner;
      }
      return undefined;
    default:
      return undefined;
  }
}
