// One generated module per prompt, assembled from ts-morph structures and printed without
// building a syntax tree: the printing is the expensive part and watch mode does it often.
import { printStructure, StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import { banner } from "./banner.js";
import { emitMeta } from "./meta.js";
import { emitRender, renderNeedsHelpers, rendersInput } from "./messages.js";
import { toTypeScript } from "./schema/typescript.js";
import { toZodSource } from "./zod/index.js";
import { jsDoc } from "./ts-syntax.js";

export interface ModuleOptions {
  runtimeImport: string;
}

export function emitPromptModule(prompt: CompiledPrompt, options: ModuleOptions): string {
  const { ir } = prompt;
  const render = emitRender(prompt);
  const meta = emitMeta(ir);
  const statements: StatementStructures[] = [
    // import { z } from "zod";
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "zod", namedImports: ["z"] },
    // import { definePrompt, h, type Message, type PromptMeta } from "@promptc/runtime";
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: options.runtimeImport,
      namedImports: ["definePrompt", ...(renderNeedsHelpers(prompt) ? ["h"] : []), "type Message", "type PromptMeta"],
    },
    // export const InputSchema = z.object({ … });
    constant("InputSchema", toZodSource(ir.input)),
    constant("OutputSchema", toZodSource(ir.output)),
    typeAlias("Input", toTypeScript(ir.input)),
    typeAlias("Output", toTypeScript(ir.output)),
    // const outputJsonSchema = { … };  (JSON Schema of the output, sent for structured output)
    ...(meta.schemaConst ? [{ kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const, declarations: [{ name: "outputJsonSchema", initializer: meta.schemaConst }] } as StatementStructures] : []),
    // export const meta: PromptMeta = { … };
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "meta", type: "PromptMeta", initializer: meta.literal }],
    },
    // const render = (i: Input): Message[] => [ … ];
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "render", initializer: `(${rendersInput(prompt) ? "i" : "_i"}: Input): Message[] => ${render}` }],
    },
    // export const routeTicket = definePrompt<Input, Output>(meta, InputSchema, OutputSchema, render);
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      leadingTrivia: functionDoc(prompt),
      declarations: [{ name: ir.name, initializer: "definePrompt<Input, Output>(meta, InputSchema, OutputSchema, render)" }],
    },
  ];
  const body = printStructure({ kind: StructureKind.SourceFile, statements }, { indentNumberOfSpaces: 2 });
  return banner(ir.source, `prompt ${ir.id} · version ${ir.version} · ${ir.hash}`) + "\n" + body;
}

function constant(name: string, initializer: string): StatementStructures {
  return { kind: StructureKind.VariableStatement, isExported: true, declarationKind: VariableDeclarationKind.Const, declarations: [{ name, initializer }] };
}

function typeAlias(name: string, type: string): StatementStructures {
  return { kind: StructureKind.TypeAlias, isExported: true, name, type };
}

/** Hovering the function in an editor shows what it is and what it costs. */
function functionDoc(prompt: CompiledPrompt): string {
  const { ir } = prompt;
  const lines = [
    ...(ir.description ? [ir.description, ""] : []),
    `Prompt \`${ir.id}\`, version ${ir.version} (${ir.hash}).`,
    `Model tier \`${ir.model.tier}\`${ir.model.fallbacks.length ? `, falling back to ${ir.model.fallbacks.map((f) => `\`${f}\``).join(", ")}` : ""}; max_tokens ${ir.model.maxTokens}.`,
    `@see ${ir.source}`,
  ];
  return jsDoc(lines);
}
