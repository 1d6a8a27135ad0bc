// Handlebars source → promptc template AST. Handlebars' own parser handles syntax,
// whitespace control and standalone lines; this pass checks helpers, inlines partials
// and binds every path to its frame.
import type {} from "handlebars"; // its `hbs` AST types
// Handlebars' parser alone: the package's main module also loads its compiler, its runtime and
// source-map (~0.2 MB), none of which a build uses. It is the parser `Handlebars.parse` calls.
import { parse as parseHandlebars } from "handlebars/dist/cjs/handlebars/compiler/base.js";
import { h } from "@promptc/runtime";

const { HELPERS } = h;
import { didYouMean, type DiagnosticBag, type SourceSpan } from "../diagnostics/index.js";
import type { DataVar, Expr, PathExpr, TemplateNode, TemplateProgram } from "./ast.js";

type HbsNode = hbs.AST.Node & { loc?: hbs.AST.SourceLocation };
type HbsExpr = hbs.AST.Expression;

/** Where a template's text lives, so errors point into the YAML or partial file. */
export interface TemplateSource {
  text: string;
  /** Maps a Handlebars position (1-based line, 0-based column) to a span in the file. */
  span(line: number, column: number, endLine: number, endColumn: number): SourceSpan;
}

export interface PartialLoader {
  (name: string): TemplateSource | undefined;
}

const BLOCKS = ["if", "unless", "each", "with"];

// Partials are shared by many prompts: their Handlebars ASTs (which nothing mutates) are
// kept by text, so a partial is parsed once per process, not once per prompt using it.
const sharedAsts = new Map<string, hbs.AST.Program>();
function remember(text: string, ast: hbs.AST.Program): void {
  if (sharedAsts.size >= 1000) sharedAsts.delete(sharedAsts.keys().next().value!);
  sharedAsts.set(text, ast);
}
const DATA: DataVar[] = ["index", "key", "first", "last"];

interface Frame {
  /** The block's frame number in the AST (unique per block); the stack index is only its depth. */
  id: number;
  params: string[];
  isEach: boolean;
  /** A partial's context, which may be null or absent. */
  nullable?: true;
}

export function parseTemplate(source: TemplateSource, loadPartial: PartialLoader, diagnostics: DiagnosticBag): TemplateProgram | undefined {
  const state = new ParseState(loadPartial, diagnostics);
  // Statements with errors are dropped and reported; the rest is returned so that variable
  // checks still run and the user sees every problem at once. Only a syntax error stops here.
  const body = state.program(source, [{ id: 0, params: [], isEach: false }], []);
  if (!body) return undefined;
  return { body, frames: state.frameCount, partials: [...state.partials].sort() };
}

class ParseState {
  frameCount = 1;
  partials = new Set<string>();
  constructor(
    private readonly loadPartial: PartialLoader,
    private readonly diagnostics: DiagnosticBag,
  ) {}

  program(source: TemplateSource, frames: Frame[], stack: string[], shared = false): TemplateNode[] | undefined {
    // Text without mustaches (many system messages) needs no parser.
    if (!source.text.includes("{{")) return source.text ? [{ kind: "text", value: source.text }] : [];
    let ast = shared ? sharedAsts.get(source.text) : undefined;
    if (!ast) {
      try {
        ast = parseHandlebars(source.text);
      } catch (e) {
        this.syntaxError(source, e);
        return undefined;
      }
      if (shared) remember(source.text, ast);
    }
    return this.statements(ast.body, source, frames, stack);
  }

  private syntaxError(source: TemplateSource, e: unknown): void {
    const err = e as { message?: string; lineNumber?: number; column?: number; hash?: { loc?: { first_line: number; first_column: number } } };
    const loc = err.hash?.loc;
    const line = loc?.first_line ?? err.lineNumber ?? Number(/on line (\d+)/.exec(err.message ?? "")?.[1] ?? 1);
    const column = loc?.first_column ?? err.column ?? 0;
    const detail = (err.message ?? "invalid template").split("\n");
    const expecting = detail.find((l) => l.startsWith("Expecting")) ?? detail[0]!;
    // The template ended inside a block: say which, at its opening tag, in plain words.
    const open = /got 'EOF'/.test(expecting) ? unclosedBlock(source.text) : undefined;
    if (open) {
      this.diagnostics.error("PC1201", `\`{{${open.sigil}${open.name}}}\` is never closed`, source.span(open.line, open.column, open.line, open.column + open.length), `add \`{{/${open.name}}}\` where the block ends`);
      return;
    }
    this.diagnostics.error("PC1201", `template syntax: ${expecting.replace(/^Parse error on line \d+:?\s*/, "")}`, source.span(line, column, line, column + 2),
      "check that every {{#block}} has its {{/block}} and every {{ has its }}");
  }

  private spanOf(source: TemplateSource, node: HbsNode): SourceSpan | undefined {
    const loc = node.loc;
    return loc ? source.span(loc.start.line, loc.start.column, loc.end.line, loc.end.column) : undefined;
  }

  private unsupported(source: TemplateSource, node: HbsNode, what: string, help: string): void {
    this.diagnostics.error("PC1206", `${what} is not supported`, this.spanOf(source, node), help);
  }

  private statements(body: hbs.AST.Statement[], source: TemplateSource, frames: Frame[], stack: string[]): TemplateNode[] {
    const out: TemplateNode[] = [];
    for (const st of body) {
      const node = this.statement(st, source, frames, stack);
      if (node) out.push(node);
    }
    return out;
  }

  private statement(st: hbs.AST.Statement, source: TemplateSource, frames: Frame[], stack: string[]): TemplateNode | undefined {
    switch (st.type) {
      case "ContentStatement":
        return { kind: "text", value: (st as hbs.AST.ContentStatement).value };
      case "CommentStatement":
        return undefined;
      case "MustacheStatement": {
        const m = st as hbs.AST.MustacheStatement;
        const expr = this.call(m.path, m.params, m.hash, source, frames, m);
        return expr && { kind: "output", expr, span: this.spanOf(source, m) };
      }
      case "BlockStatement":
        return this.block(st as hbs.AST.BlockStatement, source, frames, stack);
      case "PartialStatement":
        return this.partial(st as hbs.AST.PartialStatement, source, frames, stack);
      case "PartialBlockStatement":
        this.unsupported(source, st, "a partial block ({{#> name}})", "use a plain partial: {{> name}}");
        return undefined;
      default:
        this.unsupported(source, st, `\`${st.type}\``, "use mustaches, #if, #unless, #each, #with and partials");
        return undefined;
    }
  }

  /** A mustache or subexpression: a path, a literal, or a helper call. */
  private call(path: HbsExpr, params: HbsExpr[], hash: hbs.AST.Hash | undefined, source: TemplateSource, frames: Frame[], node: HbsNode): Expr | undefined {
    if (path.type !== "PathExpression") {
      // Handlebars reads a literal where a name goes as the name of a field or helper: `{{"Hi"}}` prints the field `Hi`.
      const literal = JSON.stringify((path as hbs.AST.StringLiteral).value ?? null);
      this.unsupported(source, path, `a literal (${literal}) in place of a name`, `Handlebars looks it up as a field name, not as text: write the text outside \`{{ }}\`${params.length ? "" : `, or name a field`}`);
      return undefined;
    }
    const p = path as hbs.AST.PathExpression;
    const isHelperName = p.parts.length === 1 && p.depth === 0 && !p.data && !/^this\b|^\.\//.test(p.original);
    if (params.length === 0 && !hash && !(isHelperName && HELPERS[p.original])) return this.expr(path, source, frames);
    if (!isHelperName || !HELPERS[p.original]) {
      const name = p.original;
      this.diagnostics.error("PC1203", `unknown helper \`${name}\``, this.spanOf(source, path), didYouMean(name, Object.keys(HELPERS)) ?? `known helpers: ${Object.keys(HELPERS).join(", ")}`);
      return undefined;
    }
    const helper = HELPERS[p.original]!;
    const span = this.spanOf(source, node);
    if (params.length < helper.min || (helper.max !== -1 && params.length > helper.max)) {
      const want = helper.max === -1 ? `at least ${helper.min}` : helper.min === helper.max ? `${helper.min}` : `${helper.min} or ${helper.max}`;
      this.diagnostics.error("PC1203", `helper \`${p.original}\` takes ${want} argument${want === "1" ? "" : "s"}, got ${params.length}`, span);
      return undefined;
    }
    const hashOut: Record<string, Expr> = {};
    for (const pair of hash?.pairs ?? []) {
      if (!helper.hash?.includes(pair.key)) {
        this.diagnostics.error("PC1203", `helper \`${p.original}\` has no option \`${pair.key}\``, span, helper.hash ? `options: ${helper.hash.join(", ")}` : undefined);
        return undefined;
      }
      const v = this.expr(pair.value, source, frames);
      if (!v) return undefined;
      hashOut[pair.key] = v;
    }
    const args: Expr[] = [];
    for (const param of params) {
      const a = this.expr(param, source, frames);
      if (!a) return undefined;
      args.push(a);
    }
    return { kind: "helper", name: p.original, args, hash: hashOut, span };
  }

  private expr(e: HbsExpr, source: TemplateSource, frames: Frame[]): Expr | undefined {
    switch (e.type) {
      case "StringLiteral":
      case "NumberLiteral":
      case "BooleanLiteral":
        return { kind: "literal", value: (e as hbs.AST.StringLiteral).value };
      case "NullLiteral":
        return { kind: "literal", value: null };
      case "UndefinedLiteral":
        return { kind: "literal", value: undefined };
      case "SubExpression": {
        const s = e as hbs.AST.SubExpression;
        return this.call(s.path, s.params, s.hash, source, frames, s);
      }
      case "PathExpression":
        return this.path(e as hbs.AST.PathExpression, source, frames);
      default:
        this.unsupported(source, e, `\`${e.type}\``, "use paths, literals and (helper …) subexpressions");
        return undefined;
    }
  }

  private path(p: hbs.AST.PathExpression, source: TemplateSource, frames: Frame[]): PathExpr | undefined {
    const span = this.spanOf(source, p);
    const explicitThis = /^(this\b|\.\/|\.$)/.test(p.original) || /(^|\/)this\b/.test(p.original.replace(/^(\.\.\/)+/, ""));
    const current = frames.length - 1;
    if (p.data) {
      const head = p.parts[0]!;
      if (head === "root") return { kind: "path", frame: 0, parts: p.parts.slice(1), original: p.original, span };
      if (!DATA.includes(head as DataVar) || p.parts.length > 1) {
        this.diagnostics.error("PC1202", `unknown data variable \`@${p.parts.join(".")}\``, span, "use @index, @key, @first, @last or @root");
        return undefined;
      }
      let at = current - p.depth;
      while (at > 0 && !frames[at]!.isEach) at--;
      if (at <= 0) {
        this.diagnostics.error("PC1202", `\`@${head}\` is only defined inside {{#each}}`, span);
        return undefined;
      }
      return { kind: "path", frame: frames[at]!.id, data: head as DataVar, parts: [], original: p.original, span };
    }
    if (p.depth === 0 && !explicitThis && p.parts.length > 0) {
      for (let f = current; f >= 0; f--) {
        const index = frames[f]!.params.indexOf(p.parts[0]!);
        if (index !== -1) return { kind: "path", frame: frames[f]!.id, param: index as 0 | 1, parts: p.parts.slice(1), original: p.original, span };
      }
    }
    if (p.depth > current) {
      this.diagnostics.error("PC1202", `\`${p.original}\` reaches above the input: there ${current === 0 ? "is no outer context here" : `${current === 1 ? "is one enclosing block" : `are ${current} enclosing blocks`}`}`, span,
        current === 0 ? `write \`${p.original.replace(/^(\.\.\/)+/, "")}\`` : "use one `../` for each enclosing #each or #with");
      return undefined;
    }
    const at = current - p.depth;
    return { kind: "path", frame: frames[at]!.id, parts: p.parts, original: p.original, span, ...(frames[at]!.nullable ? { nullableBase: true as const } : {}) };
  }

  private block(b: hbs.AST.BlockStatement, source: TemplateSource, frames: Frame[], stack: string[]): TemplateNode | undefined {
    const name = b.path.type === "PathExpression" ? (b.path as hbs.AST.PathExpression).original : "";
    const span = this.spanOf(source, b);
    if (!BLOCKS.includes(name)) {
      this.diagnostics.error("PC1203", `unknown block helper \`#${name}\``, this.spanOf(source, b.path), didYouMean(name, BLOCKS) ?? "blocks are #if, #unless, #each and #with");
      return undefined;
    }
    if (b.params.length !== 1 || b.hash) {
      this.diagnostics.error("PC1203", `\`#${name}\` takes exactly one argument`, span);
      return undefined;
    }
    // `{{^if x}}A{{/if}}` (an inverted section) has only an inverse: A renders when x is false.
    const program = (b.program as hbs.AST.Program | undefined) ?? { body: [], blockParams: undefined };
    if (program.blockParams && (name === "if" || name === "unless")) {
      this.diagnostics.error("PC1206", `\`#${name}\` takes no block parameters`, span);
      return undefined;
    }
    const param = b.params[0]!;
    if (name === "with" && param.type === "PathExpression" && /^(this|\.)$/.test((param as hbs.AST.PathExpression).original)) {
      // Handlebars does not push a context equal to the current one, so `../` inside would skip a level.
      this.unsupported(source, b, "`{{#with this}}`", "it enters the context already current; remove the block and keep its body");
      return undefined;
    }
    const target = this.expr(param, source, frames);
    if (!target) return undefined;
    const inverse = b.inverse ? this.statements(b.inverse.body, source, frames, stack) : [];
    if (name === "if" || name === "unless") {
      const then = this.statements(program.body, source, frames, stack);
      return { kind: "if", negate: name === "unless", cond: target, then, else: inverse };
    }
    const params = program.blockParams ?? [];
    if (params.length > (name === "each" ? 2 : 1)) {
      this.diagnostics.error("PC1206", `\`#${name}\` takes at most ${name === "each" ? 2 : 1} block parameters`, span);
      return undefined;
    }
    const frame = this.frameCount++;
    const inner = [...frames, { id: frame, params, isEach: name === "each" }];
    const body = this.statements(program.body, source, inner, stack);
    return { kind: name as "each" | "with", frame, target, body, else: inverse, span };
  }

  private partial(p: hbs.AST.PartialStatement, source: TemplateSource, frames: Frame[], stack: string[]): TemplateNode | undefined {
    const span = this.spanOf(source, p);
    if (p.name.type !== "PathExpression") {
      this.unsupported(source, p, "a dynamic partial name", "name the partial directly: {{> name}}");
      return undefined;
    }
    if (p.hash) {
      this.unsupported(source, p, "partial parameters", "pass a context instead: {{> name someField}}");
      return undefined;
    }
    const name = (p.name as hbs.AST.PathExpression).original;
    if (stack.includes(name)) {
      this.diagnostics.error("PC1206", `partial \`${name}\` includes itself (${[...stack, name].join(" → ")})`, span);
      return undefined;
    }
    const partial = this.loadPartial(name);
    if (!partial) {
      this.diagnostics.error("PC1204", `partial \`${name}\` not found`, span, `create it as \`${name}.hbs\` in the partials folder`);
      return undefined;
    }
    this.partials.add(name);
    let body: TemplateNode[] | undefined;
    let node: TemplateNode | undefined;
    if (p.params.length > 1) {
      this.unsupported(source, p, "more than one partial context", "pass one context: {{> name someField}}");
      return undefined;
    }
    if (p.params.length === 1) {
      const target = this.expr(p.params[0]!, source, frames);
      if (!target) return undefined;
      const frame = this.frameCount++;
      body = this.program(partial, [...frames, { id: frame, params: [], isEach: false, nullable: true as const }], [...stack, name], true);
      if (!body) return undefined;
      node = { kind: "with", frame, target, body, else: [], span, always: true };
    } else {
      body = this.program(partial, frames, [...stack, name], true);
      if (!body) return undefined;
      node = { kind: "indent", indent: "", body };
    }
    const indent = (p as { indent?: string }).indent;
    return indent ? { kind: "indent", indent, body: [node] } : node;
  }
}

/**
 * The innermost block tag (`{{#if …}}`, `{{^each …}}`) that no `{{/…}}` closes, with its 1-based
 * line and 0-based column in the template, as Handlebars counts them; undefined when all close.
 */
function unclosedBlock(text: string): { name: string; sigil: string; line: number; column: number; length: number } | undefined {
  const stack: { name: string; sigil: string; at: number; length: number }[] = [];
  for (const m of text.matchAll(/\{\{~?\s*([#^/])\s*([\w.-]+)[^}]*\}\}/g)) {
    const [tag, sigil, name] = m as unknown as [string, string, string];
    if (sigil === "/") {
      const i = stack.map((b) => b.name).lastIndexOf(name);
      if (i !== -1) stack.length = i;
    } else stack.push({ name, sigil, at: m.index!, length: tag.length });
  }
  const open = stack.at(-1);
  if (!open) return undefined;
  const before = text.slice(0, open.at);
  const line = before.split("\n").length;
  return { name: open.name, sigil: open.sigil, line, column: open.at - (before.lastIndexOf("\n") + 1), length: open.length };
}
