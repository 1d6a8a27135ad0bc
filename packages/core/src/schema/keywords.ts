// The JSON Schema keywords promptc knows: what it compiles, what it carries as annotations, and
// what it rejects with a replacement. The front end (json-schema-in.ts) and the rule that tells
// JSON Schema from Picoschema (context.ts) both read these tables.

/** Annotations: kept (the first four reach the model) or ignored, never validated. */
const ANNOTATIONS = ["description", "title", "default", "examples", "nullable", "$comment", "$schema", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding", "contentSchema"];

/** Keywords that constrain one type only; for any other value they have no effect. */
export const KEYWORDS_OF = {
  string: ["minLength", "maxLength", "pattern", "format"],
  number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
  array: ["items", "minItems", "maxItems", "uniqueItems"],
  object: ["properties", "required", "additionalProperties", "minProperties", "maxProperties", "dependentRequired"],
} as const;

const APPLICATORS = ["type", "enum", "const", "anyOf", "oneOf"];

/** Keywords promptc does not compile, and what to write instead. */
export const UNSUPPORTED: Record<string, string> = {
  $ref: "name the schema under `schemas:` in promptc.config.yaml and refer to it by name",
  $defs: "name the schema under `schemas:` in promptc.config.yaml and refer to it by name",
  definitions: "name the schema under `schemas:` in promptc.config.yaml and refer to it by name",
  $id: "promptc schemas are self-contained; remove it",
  $anchor: "promptc schemas are self-contained; remove it",
  $dynamicRef: "name the schema under `schemas:` in promptc.config.yaml and refer to it by name",
  $dynamicAnchor: "promptc schemas are self-contained; remove it",
  $vocabulary: "remove it",
  allOf: "merge the schemas into one, or use anyOf/oneOf",
  not: "express it with enum, anyOf or constraints",
  if: "express it with anyOf or oneOf",
  then: "express it with anyOf or oneOf",
  else: "express it with anyOf or oneOf",
  patternProperties: "name the properties, or use additionalProperties",
  propertyNames: "name the properties, or use additionalProperties",
  dependentSchemas: "express it with anyOf or dependentRequired",
  dependencies: "draft-7 `dependencies` is `dependentRequired` (for lists of names) in draft 2020-12",
  prefixItems: "use an object with named fields",
  contains: "check it in an eval assertion",
  minContains: "check it in an eval assertion",
  maxContains: "check it in an eval assertion",
  unevaluatedProperties: "use additionalProperties",
  unevaluatedItems: "use items",
};

export const KNOWN = new Set([...ANNOTATIONS, ...APPLICATORS, ...Object.values(KEYWORDS_OF).flat()]);
export type TypeName = "null" | "boolean" | "object" | "array" | "number" | "integer" | "string";
export const TYPES: readonly TypeName[] = ["null", "boolean", "object", "array", "number", "integer", "string"];

/** An annotation or a vendor extension (`x-…`): never validated. */
export const isAnnotation = (key: string): boolean => ANNOTATIONS.includes(key) || key.startsWith("x-");

/** Keywords whose value is a string (or, for `type`/`properties`, is recognised on its own): not a sign of JSON Schema, since a Picoschema field's value is a string too. */
const NOT_A_SIGN = new Set(["type", "properties", "$schema", "$id", "$ref", "$anchor", "$comment", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "title", "description", "format", "pattern", "contentMediaType", "contentEncoding", "contentSchema"]);

/** Every keyword, compiled, annotation or rejected. */
export const ALL_KEYWORDS: ReadonlySet<string> = new Set([...KNOWN, ...Object.keys(UNSUPPORTED)]);

/** A keyword no Picoschema field could hold when its value is not a string (`items: {…}`, `minimum: 0`). */
export const signalsJsonSchema = (key: string): boolean => ALL_KEYWORDS.has(key) && !NOT_A_SIGN.has(key);
