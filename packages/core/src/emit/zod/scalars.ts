// Zod source for scalar nodes: string, number, boolean, null, any.
import { assertedFormat } from "../../schema/formats.js";
import type { NumberNode, StringNode } from "../../schema/ir.js";
import { stringLiteral } from "../ts-syntax.js";


export function zodString(node: StringNode): string {
  const format = assertedFormat(node.format);
  let s = format?.source ?? "z.string()";
  if (node.minLength !== undefined) s += `.min(${node.minLength})`;
  if (node.maxLength !== undefined) s += `.max(${node.maxLength})`;
  if (node.pattern !== undefined) s += `.regex(new RegExp(${stringLiteral(node.pattern)}, "u"))`;
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
export const zodNever = (): string => "z.never()";
