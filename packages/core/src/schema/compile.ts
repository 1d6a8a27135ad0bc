// The documented entry point: any schema value → schema IR, with diagnostics.
import { CompileError, DiagnosticBag } from "../diagnostics/index.js";
import type { SchemaNode } from "./ir.js";
import { locateNowhere, type Locate } from "./locate.js";
import { fromSchemaValue } from "./picoschema.js";
import type { SchemaContext } from "./context.js";

export interface CompileSchemaOptions {
  /** Named schemas a Picoschema type may refer to, as Picoschema or JSON Schema values. */
  schemas?: Record<string, unknown>;
  /** Named schemas already compiled (e.g. once per config); used instead of `schemas`. */
  named?: ReadonlyMap<string, SchemaNode>;
  /** Maps paths to source spans for diagnostics. */
  locate?: Locate;
  /** Receives diagnostics instead of throwing. */
  diagnostics?: DiagnosticBag;
}

/**
 * Compiles Picoschema or JSON Schema into the schema IR.
 * Without `diagnostics`, throws a CompileError listing every error (warnings are dropped).
 */
export function compileSchema(value: unknown, options: CompileSchemaOptions = {}): SchemaNode {
  const diagnostics = options.diagnostics ?? new DiagnosticBag();
  const before = diagnostics.items.length;
  const named = options.named ?? compileNamedSchemas(options.schemas ?? {}, diagnostics, options.locate);
  const node = fromSchemaValue(value, [], { diagnostics, locate: options.locate ?? locateNowhere, named });
  const errors = diagnostics.items.slice(before).filter((d) => d.severity === "error");
  if (!options.diagnostics && errors.length) throw new CompileError(errors);
  return node;
}

/** Compiles a registry of named schemas; a name may use the names declared before it. */
export function compileNamedSchemas(schemas: Record<string, unknown>, diagnostics: DiagnosticBag, locate?: Locate): Map<string, SchemaNode> {
  const named = new Map<string, SchemaNode>();
  for (const [name, value] of Object.entries(schemas)) {
    const ctx: SchemaContext = { diagnostics, named, locate: locate ? (p, part) => locate([name, ...p], part) : locateNowhere };
    named.set(name, fromSchemaValue(value, [], ctx));
  }
  return named;
}
