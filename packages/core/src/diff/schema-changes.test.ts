import { describe, expect, it } from "vitest";
import { schemaChanges } from "./schema-changes.js";

const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: "object", properties, required, additionalProperties: false });
const S = { type: "string" };
const I = { type: "integer" };

describe("schema changes, classified for callers", () => {
  it.each([
    ["output field removed", "output", obj({ a: S, b: S }), obj({ a: S }), [{ path: "b", change: "removed", breaking: true }]],
    ["output field added", "output", obj({ a: S }), obj({ a: S, b: S }), [{ path: "b", change: "added (required)", breaking: false }]],
    ["output field now optional", "output", obj({ a: S }), obj({ a: S }, []), [{ path: "a", change: "now optional", breaking: true }]],
    ["output type changed", "output", obj({ n: I }), obj({ n: S }), [{ path: "n", change: "type integer → string", breaking: true }]],
    ["output narrowed from number to integer", "output", obj({ n: { type: "number" } }), obj({ n: I }), [{ path: "n", change: "type number → integer", breaking: false }]],
    ["output enum value added", "output", obj({ q: { enum: ["a"] } }), obj({ q: { enum: ["a", "b"] } }), [{ path: "q", change: 'values added: "b"', breaking: true }]],
    ["input required field added", "input", obj({ a: S }), obj({ a: S, b: S }), [{ path: "b", change: "added (required)", breaking: true }]],
    ["input optional field added", "input", obj({ a: S }), obj({ a: S, b: S }, ["a"]), [{ path: "b", change: "added (optional)", breaking: false }]],
    ["input field removed", "input", obj({ a: S, b: S }), obj({ a: S }), [{ path: "b", change: "removed", breaking: true }]],
    ["input now required", "input", obj({ a: S }, []), obj({ a: S }), [{ path: "a", change: "now required", breaking: true }]],
    ["input widened to accept null", "input", obj({ a: S }), obj({ a: { type: ["string", "null"] } }), [{ path: "a", change: "type string → null|string", breaking: false }]],
    ["nested list item field removed", "output", obj({ xs: { type: "array", items: obj({ x: S, y: S }) } }), obj({ xs: { type: "array", items: obj({ x: S }) } }), [{ path: "xs[].y", change: "removed", breaking: true }]],
    ["nothing", "output", obj({ a: S }), obj({ a: S }), []],
  ] as const)("%s", (_, side, before, after, want) => {
    expect(schemaChanges(side, before as never, after as never)).toEqual(want);
  });
});
