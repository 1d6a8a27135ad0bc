// The shape of a generated module, as ts-morph structures with named slots. Printing is the
// slow part of emitting (~0.6 ms a module) and there are only four shapes, so each is printed
// once per process; ts-morph itself (~0.5 s to load) is loaded only to print them.
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

export type SlotName = "banner" | "runtime" | "inputZod" | "outputZod" | "inputType" | "outputType" | "schema" | "meta" | "param" | "render" | "doc" | "name";

export interface Shape {
  /** The render function calls template helpers (`h`). */
  helpers: boolean;
  /** The output is JSON, with a JSON Schema constant. */
  schemaConst: boolean;
}

export const ALL_SHAPES: Shape[] = [false, true].flatMap((helpers) => [false, true].map((schemaConst) => ({ helpers, schemaConst })));

export const shapeKey = (s: Shape): string => `${s.helpers ? "h" : "-"}${s.schemaConst ? "s" : "-"}`;

export const slot = (name: SlotName): string => `/*@${name}@*/`;

export const SLOT_PATTERN = /\/\*@(\w+)@\*\//g;

export function printShape(shape: Shape): string {
  const { printStructure, StructureKind, VariableDeclarationKind } = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;
  const constant = (name: string, initializer: string, isExported: boolean): TsMorph.StatementStructures => ({
    kind: StructureKind.VariableStatement, isExported, declarationKind: VariableDeclarationKind.Const, declarations: [{ name, initializer }],
  });
  const statements: TsMorph.StatementStructures[] = [
    // import { z } from "zod";
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "zod", namedImports: ["z"] },
    // import { definePrompt, h, type Message, type PromptMeta } from "@promptc/runtime";
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: slot("runtime"),
      namedImports: ["definePrompt", ...(shape.helpers ? ["h"] : []), "type Message", "type PromptMeta"],
    },
    // export const InputSchema = z.object({ … });
    constant("InputSchema", slot("inputZod"), true),
    constant("OutputSchema", slot("outputZod"), true),
    // export type Input = { … };
    { kind: StructureKind.TypeAlias, isExported: true, name: "Input", type: slot("inputType") },
    { kind: StructureKind.TypeAlias, isExported: true, name: "Output", type: slot("outputType") },
    // const outputJsonSchema = { … };  (sent to the model for structured output)
    ...(shape.schemaConst ? [constant("outputJsonSchema", slot("schema"), false)] : []),
    // export const meta: PromptMeta = { … };
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "meta", type: "PromptMeta", initializer: slot("meta") }],
    },
    // const render = (i: Input): Message[] => [ … ];
    constant("render", `(${slot("param")}: Input): Message[] => ${slot("render")}`, false),
    // export const routeTicket = definePrompt<Input, Output>(meta, InputSchema, OutputSchema, render);
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      leadingTrivia: slot("doc"),
      declarations: [{ name: slot("name"), initializer: "definePrompt<Input, Output>(meta, InputSchema, OutputSchema, render)" }],
    },
  ];
  return slot("banner") + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}
