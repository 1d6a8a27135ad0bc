// The shapes a generated module can take, their keys, and the slots each one leaves for a
// prompt's own text. Printing them (module-shape.ts) needs ts-morph; naming them does not.

export type SlotName = "banner" | "runtime" | "inputZod" | "outputZod" | "inputType" | "outputType" | "schema" | "meta" | "param" | "render" | "doc" | "name" | "schemasModule" | "reviewParams" | "review";

export type Shape =
  | {
      kind: "function";
      /** The render function calls template helpers (`h`). */
      helpers: boolean;
      /** The output is JSON, with a JSON Schema constant. */
      schemaConst: boolean;
      /** The file declares `review:`: the function returns a review outcome, with the condition compiled beside it. */
      review?: boolean;
    }
  /** `checks`: the validators call the runtime's `schemaChecks` (asserted formats, uniqueItems…). */
  | { kind: "schemas"; checks: boolean };

export const ALL_SHAPES: Shape[] = [
  ...[false, true].flatMap((helpers) => [false, true].flatMap((schemaConst) => [false, true].map((review) => ({ kind: "function" as const, helpers, schemaConst, ...(review ? { review } : {}) })))),
  { kind: "schemas", checks: false },
  { kind: "schemas", checks: true },
];

export const shapeKey = (s: Shape): string => (s.kind === "schemas" ? (s.checks ? "schemas+checks" : "schemas") : `${s.helpers ? "h" : "-"}${s.schemaConst ? "s" : "-"}${s.review ? "r" : ""}`);

/** Where a slot sits in a printed shape. */
export const SLOT_PATTERN = /\/\*@(\w+)@\*\//g;
