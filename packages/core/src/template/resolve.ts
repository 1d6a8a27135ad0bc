// Binds every template path to the input schema: undeclared variables are errors at their
// line and column, inputs the template never reads are reported back as unused.
import { didYouMean, type DiagnosticBag } from "../diagnostics/index.js";
import type { ObjectNode, SchemaNode } from "../schema/ir.js";
import type { Expr, PathExpr, TemplateNode } from "./ast.js";

const ANY: SchemaNode = { kind: "any" };
const NUMBER: SchemaNode = { kind: "number", integer: true };

interface FrameInfo {
  /** Schema of the frame's context. */
  context: SchemaNode;
  /** Schemas of block params: [item or context, index or key]. */
  params: [SchemaNode, SchemaNode];
}

export interface ResolveResult {
  /** Top-level input fields the template reads. */
  used: Set<string>;
}

export function resolveTemplate(body: TemplateNode[], input: ObjectNode, diagnostics: DiagnosticBag): ResolveResult {
  const frames = new Map<number, FrameInfo>([[0, { context: input, params: [input, ANY] }]]);
  const used = new Set<string>();
  const r = new Resolver(frames, used, diagnostics);
  r.nodes(body);
  return { used };
}

class Resolver {
  constructor(
    private readonly frames: Map<number, FrameInfo>,
    private readonly used: Set<string>,
    private readonly diagnostics: DiagnosticBag,
  ) {}

  nodes(list: TemplateNode[]): void {
    for (const n of list) this.node(n);
  }

  private node(n: TemplateNode): void {
    switch (n.kind) {
      case "text":
        return;
      case "output": {
        this.expr(n.expr);
        const s = n.expr.kind === "path" ? n.expr.schema : undefined;
        if (s && (s.kind === "object" || s.kind === "array")) {
          this.diagnostics.error("PC1207", `\`${(n.expr as PathExpr).original}\` is ${s.kind === "array" ? "a list" : "an object"} and would render as "${s.kind === "array" ? "a,b,c" : "[object Object]"}"`,
            n.span, s.kind === "array" ? `iterate with {{#each ${(n.expr as PathExpr).original}}}, or write {{join ${(n.expr as PathExpr).original}}} or {{json ${(n.expr as PathExpr).original}}}` : `write {{json ${(n.expr as PathExpr).original}}}, or its fields one by one`);
        }
        return;
      }
      case "if":
        this.expr(n.cond);
        this.nodes(n.then);
        this.nodes(n.else);
        return;
      case "indent":
        this.nodes(n.body);
        return;
      case "each":
      case "with": {
        this.expr(n.target);
        // A partial's context is entered whatever its value, so it may be null or absent inside.
        const target = n.target.kind !== "path" ? ANY
          : n.kind === "with" && n.always ? (n.target.maybeMissing && n.target.schema && n.target.schema.kind !== "any" ? { ...n.target.schema, nullable: true } : n.target.schema ?? ANY)
          : nonNull(n.target.schema ?? ANY);
        if (n.kind === "each") {
          const item = itemOf(target);
          if (!item) {
            this.diagnostics.error("PC1202", `\`#each\` needs a list or an object, and \`${(n.target as PathExpr).original}\` is ${target.kind}`, (n.target as PathExpr).span);
          }
          const isList = target.kind === "array";
          this.frames.set(n.frame, { context: item ?? ANY, params: [item ?? ANY, isList ? NUMBER : { kind: "string" }] });
        } else {
          this.frames.set(n.frame, { context: target, params: [target, ANY] });
        }
        this.nodes(n.body);
        this.nodes(n.else);
        return;
      }
    }
  }

  private expr(e: Expr): void {
    if (e.kind === "helper") {
      for (const a of e.args) this.expr(a);
      for (const v of Object.values(e.hash)) this.expr(v);
    } else if (e.kind === "path") {
      this.path(e);
    }
  }

  private path(p: PathExpr): void {
    const frame = this.frames.get(p.frame) ?? { context: ANY, params: [ANY, ANY] as [SchemaNode, SchemaNode] };
    if (p.data) {
      p.schema = p.data === "index" ? NUMBER : p.data === "key" ? { kind: "string" } : { kind: "boolean" };
      p.maybeMissing = false;
      return;
    }
    let node = p.param !== undefined ? frame.params[p.param] : frame.context;
    let maybeMissing = false;
    if (p.frame === 0 && p.param === undefined && p.parts[0] !== undefined) this.used.add(p.parts[0]);
    for (let i = 0; i < p.parts.length; i++) {
      const part = p.parts[i]!;
      if (node.nullable) maybeMissing = true;
      const next = this.step(node, part);
      if (next === "missing") {
        const where = p.parts.slice(0, i).join(".");
        const scope = p.frame === 0 && p.param === undefined ? "input" : "this context";
        const keys = node.kind === "object" ? node.properties.map((x) => x.name) : [];
        this.diagnostics.error("PC1202",
          where ? `\`${where}\` has no field \`${part}\`` : `template variable \`${part}\` is not declared in ${scope}`,
          p.span, didYouMean(part, keys) ?? (where ? undefined : `declare \`${part}\` under \`input:\`${p.frame > 0 ? ", or reach the outer context with ../" : ""}`));
        p.schema = ANY;
        p.maybeMissing = true;
        return;
      }
      if (next === "scalar") {
        this.diagnostics.error("PC1202", `\`${p.parts.slice(0, i).join(".")}\` is ${node.kind === "enum" ? "an enum" : `a ${node.kind}`} and has no field \`${part}\``, p.span);
        p.schema = ANY;
        return;
      }
      maybeMissing ||= next.maybeMissing;
      if (p.untypedFrom === undefined && (node.kind === "any" || node.kind === "union" || (node.kind === "array" && /^\d+$/.test(part)))) p.untypedFrom = i;
      node = next.node;
    }
    p.schema = node;
    p.maybeMissing = maybeMissing || !!node.nullable;
  }

  private step(node: SchemaNode, part: string): { node: SchemaNode; maybeMissing: boolean } | "missing" | "scalar" {
    switch (node.kind) {
      case "any":
        return { node: ANY, maybeMissing: true };
      case "object": {
        const prop = node.properties.find((x) => x.name === part);
        if (prop) return { node: prop.schema, maybeMissing: !prop.required };
        if (node.additional === true) return { node: ANY, maybeMissing: true };
        if (node.additional !== false) return { node: node.additional, maybeMissing: true };
        return "missing";
      }
      case "array":
        if (part === "length") return { node: NUMBER, maybeMissing: false };
        if (/^\d+$/.test(part)) return { node: node.items, maybeMissing: true };
        return "missing";
      case "string":
        return part === "length" ? { node: NUMBER, maybeMissing: false } : "scalar";
      case "union": {
        const found = node.variants.map((v) => this.step(v, part)).filter((x): x is { node: SchemaNode; maybeMissing: boolean } => typeof x === "object");
        if (!found.length) return "missing";
        return { node: found.length === 1 ? found[0]!.node : { kind: "union", variants: found.map((f) => f.node) }, maybeMissing: true };
      }
      default:
        return "scalar";
    }
  }
}

function nonNull(s: SchemaNode): SchemaNode {
  return s.nullable ? { ...s, nullable: false } : s;
}

function itemOf(s: SchemaNode): SchemaNode | undefined {
  if (s.kind === "array") return s.items;
  if (s.kind === "any") return ANY;
  if (s.kind === "object") {
    if (s.additional !== true && s.additional !== false && !s.properties.length) return s.additional;
    return ANY;
  }
  return undefined;
}
