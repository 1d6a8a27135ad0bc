// The render function of a generated module: Input → the messages a model receives.
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import type { Expr, TemplateNode } from "../template/ast.js";
import { emitTemplateExpr, needsHelpers } from "./template.js";

export function emitRender(prompt: CompiledPrompt): string {
  const items = prompt.ir.messages.map((m, i) => `  { role: "${m.role}", content: ${emitTemplateExpr(prompt.programs[i]!)} },`);
  return `[\n${items.join("\n")}\n]`;
}

/** Whether any template reads the input; if none does, the parameter is `_i` (noUnusedParameters). */
export function rendersInput(prompt: CompiledPrompt): boolean {
  return prompt.programs.some((p) => readsInput(p.body));
}

function readsInput(nodes: TemplateNode[]): boolean {
  const expr = (e: Expr): boolean =>
    e.kind === "path" ? e.frame === 0 && e.param === undefined && !e.data : e.kind === "helper" ? e.args.some(expr) || Object.values(e.hash).some(expr) : false;
  return nodes.some((n) => {
    switch (n.kind) {
      case "text":
        return false;
      case "output":
        return expr(n.expr);
      case "if":
        return expr(n.cond) || readsInput(n.then) || readsInput(n.else);
      case "indent":
        return readsInput(n.body);
      case "each":
      case "with":
        return expr(n.target) || readsInput(n.body) || readsInput(n.else);
    }
  });
}

export function renderNeedsHelpers(prompt: CompiledPrompt): boolean {
  return prompt.programs.some(needsHelpers);
}
