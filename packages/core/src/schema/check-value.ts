// Checks a value against the schema IR directly. The build uses it for fallback values and
// test cases: building a zod schema per prompt costs ~0.2 ms, this costs microseconds.
// It must agree with the emitted zod validators (generated-types.test.ts checks it does).
import { schemaChecks } from "@promptc/runtime";
import { assertedFormat } from "./formats.js";
import type { SchemaNode } from "./ir.js";

export interface ValueIssue {
  path: (string | number)[];
  message: string;
}

const patternCache = new Map<string, RegExp>();

/** Length in code points, as JSON Schema (and zod) count it. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first problem with `value`, or undefined when it matches. */
export function checkValue(schema: SchemaNode, value: unknown, path: (string | number)[] = []): ValueIssue | undefined {
  if (value === null && (schema.nullable || schema.kind === "null" || schema.kind === "any")) return undefined;
  const fail = (message: string): ValueIssue => ({ path, message });
  switch (schema.kind) {
    case "any":
      return value === undefined ? fail("expected a value") : undefined;
    case "null":
      return fail(`expected null, got ${describe(value)}`);
    case "never":
      return fail(value === undefined ? "expected no value" : `expected no value here, got ${describe(value)}`);
    case "boolean":
      return typeof value === "boolean" ? undefined : fail(`expected boolean, got ${describe(value)}`);
    case "string": {
      if (typeof value !== "string") return fail(`expected string, got ${describe(value)}`);
      if (schema.minLength !== undefined && codePoints(value) < schema.minLength) return fail(`expected at least ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && codePoints(value) > schema.maxLength) return fail(`expected at most ${schema.maxLength} characters`);
      if (schema.pattern !== undefined) {
        let re = patternCache.get(schema.pattern);
        if (!re) patternCache.set(schema.pattern, (re = new RegExp(schema.pattern, "u")));
        if (!re.test(value)) return fail(`expected to match /${schema.pattern}/`);
      }
      if (assertedFormat(schema.format)?.test(value) === false) return fail(`expected a valid ${schema.format}`);
      return undefined;
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return fail(`expected number, got ${describe(value)}`);
      if (schema.integer && !Number.isSafeInteger(value)) return fail("expected an integer");
      if (schema.minimum !== undefined && value < schema.minimum) return fail(`expected >= ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) return fail(`expected <= ${schema.maximum}`);
      if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return fail(`expected > ${schema.exclusiveMinimum}`);
      if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return fail(`expected < ${schema.exclusiveMaximum}`);
      if (schema.multipleOf !== undefined && !isMultiple(value, schema.multipleOf)) return fail(`expected a multiple of ${schema.multipleOf}`);
      return undefined;
    }
    case "enum":
      return schema.values.includes(value as never) ? undefined : fail(`expected one of ${schema.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`);
    case "array": {
      if (!Array.isArray(value)) return fail(`expected a list, got ${describe(value)}`);
      if (schema.minItems !== undefined && value.length < schema.minItems) return fail(`expected at least ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return fail(`expected at most ${schema.maxItems} items`);
      if (schema.uniqueItems && !schemaChecks.hasUniqueItems(value)) return fail("expected no two items to be equal");
      for (let i = 0; i < value.length; i++) {
        const issue = checkValue(schema.items, value[i], [...path, i]);
        if (issue) return issue;
      }
      return undefined;
    }
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(`expected an object, got ${describe(value)}`);
      const obj = value as Record<string, unknown>;
      for (const p of schema.properties) {
        const v = Object.hasOwn(obj, p.name) ? obj[p.name] : undefined;
        if (v === undefined) {
          if (p.required) return { path: [...path, p.name], message: "required field is missing" };
          continue;
        }
        const issue = checkValue(p.schema, v, [...path, p.name]);
        if (issue) return issue;
      }
      if (schema.additional !== true) {
        for (const [k, v] of Object.entries(obj)) {
          if (schema.properties.some((p) => p.name === k)) continue;
          if (schema.additional === false) {
            if (schema.rejectExtra) return { path: [...path, k], message: "unexpected key" };
            continue;
          }
          const issue = checkValue(schema.additional, v, [...path, k]);
          if (issue) return issue;
        }
      }
      const count = Object.keys(obj).length;
      if (schema.minProperties !== undefined && count < schema.minProperties) return fail(`expected at least ${schema.minProperties} keys`);
      if (schema.maxProperties !== undefined && count > schema.maxProperties) return fail(`expected at most ${schema.maxProperties} keys`);
      for (const [key, needs] of Object.entries(schema.dependentRequired ?? {})) {
        if (!Object.hasOwn(obj, key)) continue;
        const missing = needs.find((n) => !Object.hasOwn(obj, n));
        if (missing !== undefined) return { path: [...path, missing], message: `required when \`${key}\` is present` };
      }
      return undefined;
    }
    case "union": {
      const matching = schema.variants.filter((v) => !checkValue(v, value, path)).length;
      if (schema.exclusive && matching > 1) return fail(`matches ${matching} of the shapes where exactly one is allowed (oneOf)`);
      return matching ? undefined : fail(`matches none of the ${schema.variants.length} allowed shapes`);
    }
  }
}

/** zod's float-safe remainder test (decimals read from `1e-8` as well as `0.01`). */
function decimalsOf(n: number): number {
  const text = n.toString();
  const fraction = (text.split(".")[1] ?? "").replace(/e.*$/, "").length;
  const exp = /e-(\d+)$/.exec(text);
  return exp ? fraction + Number(exp[1]) : fraction;
}

function isMultiple(value: number, step: number): boolean {
  const decimals = Math.max(decimalsOf(value), decimalsOf(step));
  const scale = 10 ** decimals;
  return Math.round(value * scale) % Math.round(step * scale) === 0;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}
