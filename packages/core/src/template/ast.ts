// promptc's template AST: Handlebars' AST reduced to what prompts use, partials inlined,
// every path bound to a context frame. The interpreter and the TypeScript emitter read it.
import type { SourceSpan } from "../diagnostics/index.js";
import type { SchemaNode } from "../schema/ir.js";

export type DataVar = "index" | "key" | "first" | "last";

export interface PathExpr {
  kind: "path";
  /** Index of the context frame the path starts from (0 is the input). */
  frame: number;
  /** A block parameter (`as |item i|`) the path starts from, instead of the frame's context. */
  param?: 0 | 1;
  /** `@index` and friends: data of the `each` at `frame`. */
  data?: DataVar;
  parts: string[];
  original: string;
  span?: SourceSpan | undefined;
  /** Filled by resolve: the schema at the end of the path, and whether it may be absent. */
  schema?: SchemaNode;
  maybeMissing?: boolean;
  /** Filled by resolve: parts from this index on go through untyped values, read with `get`. */
  untypedFrom?: number;
  /** The frame's context may be null or absent (a partial's context): its first step is read with `?.`. */
  nullableBase?: true;
}

interface LiteralExpr {
  kind: "literal";
  value: string | number | boolean | null | undefined;
}

interface HelperExpr {
  kind: "helper";
  name: string;
  args: Expr[];
  hash: Record<string, Expr>;
  span?: SourceSpan | undefined;
}

export type Expr = PathExpr | LiteralExpr | HelperExpr;

export type TemplateNode =
  | { kind: "text"; value: string }
  | { kind: "output"; expr: Expr; span?: SourceSpan | undefined }
  | { kind: "if"; negate: boolean; cond: Expr; then: TemplateNode[]; else: TemplateNode[] }
  /** Pushes a frame: `each` iterates, `with` (and a partial given a context) enters a value. */
  | { kind: "each" | "with"; frame: number; target: Expr; body: TemplateNode[]; else: TemplateNode[]; span?: SourceSpan | undefined;
      /** A partial's context: the body renders whatever the value, as Handlebars does (`with` skips empty values). */
      always?: true }
  | { kind: "indent"; indent: string; body: TemplateNode[] };

export interface TemplateProgram {
  body: TemplateNode[];
  /** Number of context frames, the input's included. */
  frames: number;
  /** Partials used, transitively, by name. */
  partials: string[];
}
