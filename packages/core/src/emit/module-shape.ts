// The shapes of generated modules, as ts-morph structures with named slots. They are printed
// once, by scripts/gen-shapes.mjs, into printed-shapes.ts: a build never loads ts-morph
// (~0.4 s with its TypeScript), only this file's tests and the script do.
//
// Each prompt gets two modules: its function (types, meta, template; imports only the runtime)
// and its zod validators (`*.schemas.ts`), which the function imports on its first call. zod
// takes ~100 ms to load, so importing prompts stays cheap until one is called.
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";
import { CHECKS_IMPORT } from "../schema/checks-import.js";
import type { Shape, SlotName } from "./module-shape-key.js";

export { ALL_SHAPES, shapeKey, type Shape } from "./module-shape-key.js";

const slot = (name: SlotName): string => `/*@${name}@*/`;

export function printShape(shape: Shape): string {
  const { printStructure, StructureKind, VariableDeclarationKind } = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;
  const constant = (name: string, initializer: string, isExported: boolean): TsMorph.StatementStructures => ({
    kind: StructureKind.VariableStatement, isExported, declarationKind: VariableDeclarationKind.Const, declarations: [{ name, initializer }],
  });
  if (shape.kind === "schemas") {
    const statements: TsMorph.StatementStructures[] = [
      // import { z } from "zod";
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: "zod", namedImports: ["z"] },
      // import { schemaChecks } from "@promptc/runtime";
      ...(shape.checks ? [{ kind: StructureKind.ImportDeclaration, moduleSpecifier: slot("runtime"), namedImports: [CHECKS_IMPORT] } satisfies TsMorph.ImportDeclarationStructure] : []),
      // export const InputSchema = z.object({ … });
      constant("InputSchema", slot("inputZod"), true),
      constant("OutputSchema", slot("outputZod"), true),
    ];
    const note = `// zod validators of ${slot("name")}, loaded on its first call.\n`;
    return slot("banner") + note + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
  }
  const statements: TsMorph.StatementStructures[] = [
    // import { definePrompt, h, type Message, type PromptMeta } from "@promptc/runtime";
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: slot("runtime"),
      namedImports: [shape.review ? "defineReviewedPrompt" : "definePrompt", ...(shape.helpers ? ["h"] : []), "type Message", "type PromptMeta"],
    },
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
    // const needsReview = (input: Input, output: Output): boolean => (output?.confidence ?? NaN) < 0.8;
    ...(shape.review ? [constant("needsReview", `(${slot("reviewParams")}): boolean => ${slot("review")}`, false)] : []),
    // export const routeTicket = definePrompt<Input, Output>(meta, () => import("./route-ticket.schemas.js"), render);
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      leadingTrivia: slot("doc"),
      declarations: [{
        name: slot("name"),
        initializer: shape.review
          ? `defineReviewedPrompt<Input, Output>(meta, () => import("${slot("schemasModule")}"), render, needsReview)`
          : `definePrompt<Input, Output>(meta, () => import("${slot("schemasModule")}"), render)`,
      }],
    },
  ];
  return slot("banner") + "\n" + printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
}
