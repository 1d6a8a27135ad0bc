// schema-valid: the output passed the prompt's output schema and came from a model, not from
// the declared fallback value.
import { no, yes, type Check } from "./types.js";

export const schemaValid: Check = (_a, _target, ctx) => {
  if (ctx.record.fallback === "value") return no(`the output is the declared fallback value: no model gave a schema-valid output (${ctx.record.errorCode ?? "see the attempts"})`);
  return ctx.schemaValid ? yes("the output matches the output schema") : no("the output does not match the output schema");
};
