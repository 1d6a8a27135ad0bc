// Interprets a template program against an input. Used where no generated code exists yet:
// `promptc inspect`, evals and bisect over versions built in memory. Must agree with the
// TypeScript emitter, and both with Handlebars (see render.test.ts).
import { h } from "@promptc/runtime";
import type { Expr, TemplateNode, TemplateProgram } from "./ast.js";

interface Scope {
  contexts: unknown[];
  params: unknown[][];
  data: { index: number; key: string; first: boolean; last: boolean }[];
}

/** A compiled prompt's messages for an input: each message's template program interpreted. */
export function renderMessages<R extends string>(prompt: { ir: { messages: readonly { role: R }[] }; programs: readonly TemplateProgram[] }, input: unknown): { role: R; content: string }[] {
  return prompt.ir.messages.map((m, i) => ({ role: m.role, content: renderProgram(prompt.programs[i]!, input) }));
}

export function renderProgram(program: TemplateProgram, input: unknown): string {
  const scope: Scope = { contexts: [input], params: [[input]], data: [] };
  return nodes(program.body, scope);
}

function nodes(list: TemplateNode[], scope: Scope): string {
  let out = "";
  for (const n of list) out += node(n, scope);
  return out;
}

function node(n: TemplateNode, scope: Scope): string {
  switch (n.kind) {
    case "text":
      return n.value;
    case "output":
      return h.str(evaluate(n.expr, scope));
    case "if":
      return h.truthy(evaluate(n.cond, scope)) !== n.negate ? nodes(n.then, scope) : nodes(n.else, scope);
    case "indent":
      return n.indent ? h.indent(n.indent, nodes(n.body, scope)) : nodes(n.body, scope);
    case "with": {
      const body = (c: unknown) => {
        scope.contexts[n.frame] = c;
        scope.params[n.frame] = [c];
        return nodes(n.body, scope);
      };
      // A partial's context is entered whatever its value; `with` skips an empty one.
      const target = evaluate(n.target, scope);
      return n.always ? body(target) : h.enter(target, body, () => nodes(n.else, scope));
    }
    case "each":
      return h.each(evaluate(n.target, scope), (item, index, key, first, last) => {
        scope.contexts[n.frame] = item;
        scope.params[n.frame] = [item, Array.isArray(evaluate(n.target, scope)) ? index : key];
        scope.data[n.frame] = { index, key, first, last };
        return nodes(n.body, scope);
      }, () => nodes(n.else, scope));
  }
}

function evaluate(e: Expr, scope: Scope): unknown {
  switch (e.kind) {
    case "literal":
      return e.value;
    case "helper": {
      const fn = h.HELPERS[e.name]!.fn as (...args: unknown[]) => unknown;
      const args = e.args.map((a) => evaluate(a, scope));
      if (e.hash["indent"]) args.push(evaluate(e.hash["indent"], scope));
      return fn(...args);
    }
    case "path": {
      if (e.data) return scope.data[e.frame]?.[e.data];
      const base = e.param !== undefined ? scope.params[e.frame]?.[e.param] : scope.contexts[e.frame];
      return h.get(base, ...e.parts);
    }
  }
}
