// Schema IR → the JSON Schema variant OpenAI's strict structured outputs accept:
// every property required, optional ones nullable, additionalProperties false, object at the root.
import type { ObjectNode, SchemaNode } from "../../schema/ir.js";
import { toJsonSchema, type JsonSchema } from "./json-schema.js";
import { travelsWrapped, WRAP_KEY } from "@promptc/runtime";

export type StrictResult =
  | { strict: true; schema: JsonSchema; wrapped: boolean }
  | { strict: false; reason: string };


export function toOpenAIStrict(node: SchemaNode): StrictResult {
  const problem = strictProblem(node, "output");
  if (problem) return { strict: false, reason: problem };
  const wrapped = travelsWrapped(toJsonSchema(node) as JsonSchema);
  const root: SchemaNode = wrapped ? ({ kind: "object", properties: [{ name: WRAP_KEY, schema: node, required: true }], additional: false } satisfies ObjectNode) : node;
  return { strict: true, schema: toJsonSchema(strictify(root)) as JsonSchema, wrapped };
}

function strictify(node: SchemaNode): SchemaNode {
  const { default: _d, examples: _e, title: _t, ...rest } = node;
  const n = rest as SchemaNode;
  switch (n.kind) {
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
    case "union":
      return { ...n, variants: n.variants.map(strictify) };
    default:
      return n;
  }
}

/** Why this schema cannot be sent in strict mode, or undefined when it can. */
function strictProblem(node: SchemaNode, at: string): string | undefined {
  switch (node.kind) {
    case "any":
      return `${at} has no type (any); strict mode needs every value typed`;
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
