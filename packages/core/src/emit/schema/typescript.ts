// Schema IR → a TypeScript type expression, with field descriptions as JSDoc for editor hovers.
import type { SchemaNode } from "../../schema/ir.js";
import { jsDoc, propertyKey } from "../ts-syntax.js";

export function toTypeScript(node: SchemaNode, indent = ""): string {
  const base = bare(node, indent);
  return node.nullable && node.kind !== "any" && node.kind !== "null" ? `${base} | null` : base;
}

function bare(node: SchemaNode, indent: string): string {
  switch (node.kind) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "any":
      return "unknown";
    case "never":
      return "never";
    case "enum":
      return node.values.map((v) => JSON.stringify(v)).join(" | ");
    case "array": {
      const item = toTypeScript(node.items, indent);
      return /[|&]/.test(item) && !/^\{/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case "union":
      return node.variants.map((v) => toTypeScript(v, indent)).join(" | ");
    case "object": {
      const inner = indent + "  ";
      const lines = node.properties.map((p) => {
        const doc = p.schema.description ? jsDoc([p.schema.description], inner) : "";
        // `| undefined` on optional fields: zod's output type has it, and exactOptionalPropertyTypes tells them apart.
        const type = toTypeScript(p.schema, inner);
        return `${doc}${inner}${propertyKey(p.name)}${p.required ? `: ${type}` : `?: ${type === "unknown" ? type : `${type} | undefined`}`};\n`;
      });
      if (node.additional === true) lines.push(`${inner}[key: string]: unknown;\n`);
      const body = lines.length ? `{\n${lines.join("")}${indent}}` : node.additional === false ? "Record<string, never>" : "{}";
      if (node.additional !== true && node.additional !== false) {
        const rest = `Record<string, ${toTypeScript(node.additional, indent)}>`;
        return node.properties.length ? `${body} & ${rest}` : rest;
      }
      return body;
    }
  }
}
