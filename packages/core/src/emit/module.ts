// Two generated modules per prompt, the function and its validators: their shapes (see
// module-shape.ts) with each slot filled.
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import { banner } from "./banner.js";
import { emitMeta } from "./meta.js";
import { emitRender, renderNeedsHelpers, rendersInput } from "./messages.js";
import { toTypeScript } from "./schema/typescript.js";
import { toZodSource, usesSchemaChecks } from "./schema/zod.js";
import { jsDoc } from "./ts-syntax.js";
import { emitCondition } from "./review-condition.js";
import { SLOT_PATTERN, type Shape, type SlotName } from "./module-shape-key.js";
import { shapeText } from "./shapes.js";

export interface ModuleOptions {
  runtimeImport: string;
  /** `.ts` (default) or `.mts`: ES modules even inside a CommonJS package. */
  extension?: OutExtension;
}

export type OutExtension = ".ts" | ".mts";

/** What an import of a generated module ends with, for files of this extension. */
export const importSuffix = (extension: OutExtension | undefined): string => (extension === ".mts" ? ".mjs" : ".js");


export interface PromptModules {
  /** `<id>.ts`: the function, its types and meta. */
  function: string;
  /** `<id>.schemas.ts`: its zod validators, loaded on the first call. */
  schemas: string;
}

/** The suffix of a prompt's validators module; no prompt id may end with it. */
export const SCHEMAS_SUFFIX = ".schemas";

/** `name`: the exported function's name, from the build's name map. */
export function emitPromptModules(prompt: CompiledPrompt, name: string, options: ModuleOptions): PromptModules {
  const { ir } = prompt;
  const meta = emitMeta(ir);
  const review = ir.review && (ir.review.condition === "always" ? "true" : emitCondition(ir.review.condition));
  const shape: Shape = { kind: "function", helpers: renderNeedsHelpers(prompt), schemaConst: meta.schemaConst !== null, ...(review ? { review: true } : {}) };
  const base = ir.id.slice(ir.id.lastIndexOf("/") + 1);
  const values: Record<SlotName, string> = {
    banner: banner(ir.source),
    // Inside the quotes printStructure puts around a module specifier.
    runtime: JSON.stringify(options.runtimeImport).slice(1, -1),
    inputZod: toZodSource(ir.input),
    outputZod: toZodSource(ir.output),
    inputType: toTypeScript(ir.input),
    outputType: toTypeScript(ir.output),
    schema: meta.schemaConst ?? "",
    meta: meta.literal,
    param: rendersInput(prompt) ? "i" : "_i",
    render: emitRender(prompt),
    doc: functionDoc(prompt),
    name,
    schemasModule: `./${base}${SCHEMAS_SUFFIX}${importSuffix(options.extension)}`,
    // A parameter the condition does not read is named `_…`, as noUnusedParameters wants.
    reviewParams: review ? `${/\binput\b/.test(review) ? "" : "_"}input: Input, ${/\boutput\b/.test(review) ? "" : "_"}output: Output` : "",
    review: review ?? "",
  };
  const fill = (text: string) => text.replace(SLOT_PATTERN, (_, name: SlotName) => values[name]);
  const checks = usesSchemaChecks(values.inputZod) || usesSchemaChecks(values.outputZod);
  return { function: fill(shapeText(shape)), schemas: fill(shapeText({ kind: "schemas", checks })) };
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
