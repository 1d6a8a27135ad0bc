// The schema IR: one representation that Picoschema and JSON Schema both compile to,
// and that every schema emitter (zod, TypeScript, JSON Schema, OpenAI strict) reads.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface SchemaAnnotations {
  description?: string;
  title?: string;
  /** Carried into JSON Schema only; not applied by validators. */
  default?: JsonValue;
  examples?: JsonValue[];
  /** Also accepts null. Picoschema's optional fields are nullable too. */
  nullable?: boolean;
}

export interface StringNode extends SchemaAnnotations {
  kind: "string";
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

export interface NumberNode extends SchemaAnnotations {
  kind: "number";
  integer: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

export interface BooleanNode extends SchemaAnnotations {
  kind: "boolean";
}

export interface NullNode extends SchemaAnnotations {
  kind: "null";
}

export interface AnyNode extends SchemaAnnotations {
  kind: "any";
}

export type EnumValue = string | number | boolean;

export interface EnumNode extends SchemaAnnotations {
  kind: "enum";
  values: EnumValue[];
}

export interface ArrayNode extends SchemaAnnotations {
  kind: "array";
  items: SchemaNode;
  minItems?: number;
  maxItems?: number;
  /** No two items equal (JSON equality: key order does not matter). */
  uniqueItems?: boolean;
}

export interface ObjectProperty {
  name: string;
  schema: SchemaNode;
  required: boolean;
}

export interface ObjectNode extends SchemaAnnotations {
  kind: "object";
  properties: ObjectProperty[];
  /** false: no other keys; true: any other keys; a node: other keys of that shape. */
  additional: boolean | SchemaNode;
  /**
   * With `additional: false`: extra keys make the value invalid (JSON Schema's
   * `additionalProperties: false`). Without it they are dropped (Picoschema's closed objects).
   */
  rejectExtra?: boolean;
  minProperties?: number;
  maxProperties?: number;
  /** When the key is present, these keys must be too. */
  dependentRequired?: Record<string, string[]>;
}

export interface UnionNode extends SchemaAnnotations {
  kind: "union";
  variants: SchemaNode[];
  /** JSON Schema's `oneOf`: exactly one variant matches, not at least one. */
  exclusive?: boolean;
}

/** Matches nothing: JSON Schema's `false` (a property that must be absent, a list that must be empty). */
export interface NeverNode extends SchemaAnnotations {
  kind: "never";
}

export type SchemaNode =
  | StringNode
  | NumberNode
  | BooleanNode
  | NullNode
  | AnyNode
  | EnumNode
  | ArrayNode
  | ObjectNode
  | UnionNode
  | NeverNode;

export type SchemaKind = SchemaNode["kind"];

/** The property of an object node, or undefined. */
export function propertyOf(node: ObjectNode, name: string): ObjectProperty | undefined {
  return node.properties.find((p) => p.name === name);
}
