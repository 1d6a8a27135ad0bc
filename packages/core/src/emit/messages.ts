// The render function of a generated module: Input → the messages a model receives.
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import { emitTemplateExpr, needsHelpers } from "./template.js";

export function emitRender(prompt: CompiledPrompt): string {
  const items = prompt.ir.messages.map((m, i) => `  { role: "${m.role}", content: ${emitTemplateExpr(prompt.programs[i]!)} },`);
  return `[\n${items.join("\n")}\n]`;
}

/** Whether the render function reads its input at all (an unused `i` would trip noUnusedParameters). */
export function rendersInput(prompt: CompiledPrompt): boolean {
  return prompt.ir.input.properties.length > 0;
}

export function renderNeedsHelpers(prompt: CompiledPrompt): boolean {
  return prompt.programs.some(needsHelpers);
}
