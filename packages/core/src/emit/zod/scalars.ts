// Zod source for scalar nodes: string, number, boolean, null, any.
import type { NumberNode, StringNode } from "../../schema/ir.js";
import { stringLiteral } from "../ts-syntax.js";

/** JSON Schema formats zod has a validator for; others are carried in JSON Schema only. */
export const ZOD_FORMATS: Record<string, string> = {
  email: "z.email()",
  uri: "z.url()",
  url: "z.url()",
  uuid: "z.uuid()",
  "date-time": "z.iso.datetime({ offset: true })",
  date: "z.iso.date()",
  time: "z.iso.time()",
  ipv4: "z.ipv4()",
  ipv6: "z.ipv6()",
};

export function zodString(node: StringNode): string {
  let s = (node.format && ZOD_FORMATS[node.format]) || "z.string()";
  if (node.minLength !== undefined) s += `.min(${node.minLength})`;
  if (node.maxLength !== undefined) s += `.max(${node.maxLength})`;
  if (node.pattern !== undefined) s += `.regex(new RegExp(${stringLiteral(node.pattern)}))`;
  return s;
}

export function zodNumber(node: NumberNode): string {
  let s = node.integer ? "z.int()" : "z.number()";
  if (node.minimum !== undefined) s += `.min(${node.minimum})`;
  if (node.maximum !== undefined) s += `.max(${node.maximum})`;
  if (node.exclusiveMinimum !== undefined) s += `.gt(${node.exclusiveMinimum})`;
  if (node.exclusiveMaximum !== undefined) s += `.lt(${node.exclusiveMaximum})`;
  if (node.multipleOf !== undefined) s += `.multipleOf(${node.multipleOf})`;
  return s;
}

export const zodBoolean = (): string => "z.boolean()";
export const zodNull = (): string => "z.null()";
export const zodAny = (): string => "z.unknown()";
