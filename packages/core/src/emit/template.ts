// Template program → a TypeScript expression that renders it: template literals and calls
// into the runtime's template helpers (`h`), typed against the generated Input.
import type { Expr, PathExpr, TemplateNode, TemplateProgram } from "../template/ast.js";
import { member } from "./ts-syntax.js";

/** Escapes text for a template literal. */
function templateText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/** The program as one expression of type string, reading the input from `i`. */
export function emitTemplateExpr(program: TemplateProgram): string {
  return literal(program.body);
}

/** Whether the emitted expression calls template helpers (`h.…`). */
export function needsHelpers(program: TemplateProgram): boolean {
  const outputIsPlain = (e: Expr): boolean => e.kind === "literal" || (e.kind === "path" && e.untypedFrom === undefined && !!e.schema &&
    ["string", "number", "boolean", "enum"].includes(e.schema.kind));
  return program.body.some((n) => n.kind !== "text" && !(n.kind === "output" && outputIsPlain(n.expr)) && !(n.kind === "indent" && !n.indent && needsHelpers({ ...program, body: n.body }) === false));
}

function literal(list: TemplateNode[]): string {
  if (list.length === 0) return '""';
  if (list.every((n) => n.kind === "text")) return JSON.stringify(list.map((n) => (n as { value: string }).value).join(""));
  return "`" + list.map(part).join("") + "`";
}

function part(n: TemplateNode): string {
  switch (n.kind) {
    case "text":
      return templateText(n.value);
    case "output":
      return "${" + outputExpr(n.expr) + "}";
    case "if": {
      const cond = `h.truthy(${expr(n.cond)})`;
      return "${" + `${n.negate ? "!" : ""}${cond} ? ${literal(n.then)} : ${literal(n.else)}` + "}";
    }
    case "indent":
      return n.indent ? "${" + `h.indent(${JSON.stringify(n.indent)}, ${literal(n.body)})` + "}" : n.body.map(part).join("");
    case "with": {
      // A parameter the body never reads is named `_…`, or noUnusedParameters would reject it.
      const context = usedData(n.body, n.frame).has(0) ? `c${n.frame}` : `_c${n.frame}`;
      if (n.always) return "${" + `((${context}) => ${literal(n.body)})(${expr(n.target)})` + "}";
      return "${" + `h.enter(${expr(n.target)}, (${context}) => ${literal(n.body)}${n.else.length ? `, () => ${literal(n.else)}` : ""})` + "}";
    }
    case "each": {
      const used = usedData(n.body, n.frame);
      const names = [`c${n.frame}`, `n${n.frame}`, `k${n.frame}`, `f${n.frame}`, `l${n.frame}`];
      const last = Math.max(0, ...[0, 1, 2, 3, 4].filter((i) => used.has(i)));
      const params = names.slice(0, last + 1).map((p, i) => (used.has(i) ? p : `_${p}`)).join(", ");
      return "${" + `h.each(${expr(n.target)}, (${params}) => ${literal(n.body)}${n.else.length ? `, () => ${literal(n.else)}` : ""})` + "}";
    }
  }
}

/** A value spliced into text: plain when it is always a string, number or boolean. */
function outputExpr(e: Expr): string {
  if (e.kind === "literal") return JSON.stringify(String(e.value ?? ""));
  if (e.kind === "helper") return `h.str(${expr(e)})`;
  const s = e.schema;
  const simple = s && (s.kind === "string" || s.kind === "number" || s.kind === "boolean" || s.kind === "enum") && e.untypedFrom === undefined;
  if (simple && !e.maybeMissing) return expr(e);
  if (simple) return `${expr(e)} ?? ""`;
  return `h.str(${expr(e)})`;
}

function expr(e: Expr): string {
  switch (e.kind) {
    case "literal":
      return e.value === undefined ? "undefined" : JSON.stringify(e.value);
    case "helper": {
      // A helper sees null for a field of null, as in Handlebars; `?.` would give it undefined.
      const args = e.args.map((a) => (a.kind === "path" && a.maybeMissing && a.parts.length > 1 && !a.data ? nullPreservingPath(a) : expr(a)));
      if (e.hash["indent"]) args.push(expr(e.hash["indent"]));
      return `h.${e.name}(${args.join(", ")})`;
    }
    case "path":
      return pathExpr(e);
  }
}

function pathExpr(p: PathExpr): string {
  if (p.data) return `${{ index: "n", key: "k", first: "f", last: "l" }[p.data]}${p.frame}`;
  let base = p.param === 1 ? (p.schema?.kind === "number" ? `n${p.frame}` : `k${p.frame}`) : p.frame === 0 ? "i" : `c${p.frame}`;
  const typed = p.untypedFrom === undefined ? p.parts : p.parts.slice(0, p.untypedFrom);
  // Optional chaining on every step after the first: absent parents read as undefined, as in Handlebars.
  typed.forEach((part, idx) => {
    base += idx === 0 && !p.nullableBase ? member(part) : "?" + (member(part).startsWith(".") ? member(part) : "." + member(part));
  });
  if (p.untypedFrom !== undefined) base = `h.get(${base}, ${p.parts.slice(p.untypedFrom).map((x) => JSON.stringify(x)).join(", ")})`;
  return base;
}

/** A path read with `h.get`, which keeps a null parent's null. */
function nullPreservingPath(p: PathExpr): string {
  const base = pathExpr({ ...p, parts: [], untypedFrom: undefined });
  return `h.get(${base}, ${p.parts.map((x) => JSON.stringify(x)).join(", ")})`;
}

/** Which of a frame's variables (0 its context, 1 index, 2 key, 3 first, 4 last) a body reads. */
function usedData(list: TemplateNode[], frame: number): Set<number> {
  const used = new Set<number>();
  const visitExpr = (e: Expr): void => {
    if (e.kind === "helper") {
      e.args.forEach(visitExpr);
      Object.values(e.hash).forEach(visitExpr);
    } else if (e.kind === "path" && e.frame === frame) {
      if (e.data) used.add({ index: 1, key: 2, first: 3, last: 4 }[e.data]);
      else if (e.param === 1) used.add(e.schema?.kind === "number" ? 1 : 2);
      else used.add(0);
    }
  };
  const visit = (ns: TemplateNode[]): void => {
    for (const n of ns) {
      if (n.kind === "output") visitExpr(n.expr);
      else if (n.kind === "if") {
        visitExpr(n.cond);
        visit(n.then);
        visit(n.else);
      } else if (n.kind === "indent") visit(n.body);
      else if (n.kind === "each" || n.kind === "with") {
        visitExpr(n.target);
        visit(n.body);
        visit(n.else);
      }
    }
  };
  visit(list);
  return used;
}
