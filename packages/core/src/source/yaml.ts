// YAML with source positions: parse once, then point any path in the value back at the text.
import { createRequire } from "node:module";
import jsYaml from "js-yaml";
import type * as Yaml from "yaml";
import type { Document, Node } from "yaml";

// The position-aware parser loads on first use: a clean build never needs it.
let yamlLib: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlLib ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
import { locationOf, type DiagnosticBag, type SourceSpan } from "../diagnostics/index.js";
import type { Locate, SchemaPath } from "../schema/locate.js";

/**
 * A parsed YAML file. Values come from js-yaml (an order of magnitude faster); the `yaml`
 * package's document, which knows where every node is, is parsed only when a diagnostic
 * needs a position.
 */
export class YamlSource {
  /** How many files needed the position-aware parse in this process (tests: a clean build needs none). */
  static positionParses = 0;
  private parsed: Document.Parsed | undefined;
  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
  ) {}

  get doc(): Document.Parsed {
    if (!this.parsed) YamlSource.positionParses++;
    return (this.parsed ??= yaml().parseDocument(this.text, POSITION_OPTIONS));
  }
}

const POSITION_OPTIONS = { prettyErrors: false, uniqueKeys: true, merge: false } as const;

/** Parses YAML; syntax errors go to the bag with their position and the result is undefined. */
export function parseYaml(file: string, text: string, diagnostics: DiagnosticBag): YamlSource | undefined {
  try {
    return new YamlSource(file, text, jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file }));
  } catch (e) {
    // Ask the position-aware parser for the errors; fall back to js-yaml's own mark.
    const doc = yaml().parseDocument(text, POSITION_OPTIONS);
    if (doc.errors.length) {
      for (const err of doc.errors) {
        const message = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        diagnostics.error("PC1001", message.charAt(0).toLowerCase() + message.slice(1), { file, text, start: err.pos[0], end: Math.max(err.pos[1], err.pos[0] + 1) });
      }
    } else {
      const mark = (e as { mark?: { position: number }; reason?: string }).mark;
      const reason = (e as { reason?: string }).reason ?? (e as Error).message;
      diagnostics.error("PC1001", reason, { file, text, start: mark?.position ?? 0, end: (mark?.position ?? 0) + 1 });
    }
    return undefined;
  }
}

interface Found {
  key?: Node | undefined;
  value?: Node | undefined;
  /** True when the whole path was found. */
  exact: boolean;
}

function walk(doc: Document.Parsed, path: SchemaPath): Found {
  const { isMap, isScalar, isSeq } = yaml();
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) === String(seg) : false));
      if (!pair) return { key, value: node as Node, exact: false };
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
      key = undefined;
      node = node.items[seg];
    } else {
      return { key, value: node as Node | undefined, exact: false };
    }
  }
  return { key, value: (node as Node | null) ?? undefined, exact: true };
}

export function spanAt(src: YamlSource, path: SchemaPath, part: "key" | "value" = "value"): SourceSpan {
  const found = walk(src.doc, path);
  const node = part === "key" && found.exact && found.key ? found.key : found.value ?? found.key;
  const range = node?.range ?? [0, 0];
  return { file: src.file, text: src.text, start: range[0], end: Math.max(range[1], range[0] + 1) };
}

/**
 * spanAt, worked out when first read: a build with no diagnostic never pays for the
 * position-aware parse. For spans kept on the side (where a test case was written).
 */
export function lazySpanAt(src: YamlSource, path: SchemaPath, part: "key" | "value" = "value"): SourceSpan {
  let span: SourceSpan | undefined;
  const get = () => (span ??= spanAt(src, path, part));
  return {
    file: src.file,
    text: src.text,
    get start() {
      return get().start;
    },
    get end() {
      return get().end;
    },
  };
}

/** Sets `target.at` to a span's `file:line:col`, computed when first read (and then kept, enumerable, so the IR serialises as before). */
export function defineLazyAt(target: { at: string }, span: SourceSpan): void {
  let at: string | undefined;
  Object.defineProperty(target, "at", {
    enumerable: true,
    configurable: true,
    get: () => (at ??= locationOf(span)),
    set: (value: string) => void (at = value),
  });
}

/** Like spanAt, for a parent map whose key is absent: points at the parent's key. */
export function spanOfParent(src: YamlSource, path: SchemaPath): SourceSpan {
  return path.length ? spanAt(src, path, "key") : { file: src.file, text: src.text, start: 0, end: 1 };
}

export function locateIn(src: YamlSource, base: SchemaPath): Locate {
  return (path, part) => spanAt(src, [...base, ...path], part);
}

/**
 * Maps a position inside a string value (a template) to an offset in the file.
 * Exact for block literals (`|`) and single-line scalars; otherwise the value's start.
 */
export function templateOffset(src: YamlSource, path: SchemaPath, line: number, column: number): number {
  const { value } = walk(src.doc, path);
  const { isScalar, Scalar } = yaml();
  if (!isScalar(value) || !value.range) return 0;
  const start = value.range[0];
  if (value.type === Scalar.BLOCK_LITERAL) {
    const headerEnd = src.text.indexOf("\n", start);
    if (headerEnd === -1) return start;
    let offset = headerEnd + 1;
    let indent = -1;
    // The block's indentation is that of its first non-empty line.
    for (let scan = offset; scan < src.text.length; ) {
      const nl = src.text.indexOf("\n", scan);
      const l = src.text.slice(scan, nl === -1 ? undefined : nl).replace(/\r$/, "");
      if (l.trim()) {
        indent = l.length - l.trimStart().length;
        break;
      }
      if (nl === -1) break;
      scan = nl + 1;
    }
    for (let l = 1; l < line; l++) {
      const nl = src.text.indexOf("\n", offset);
      if (nl === -1) return start;
      offset = nl + 1;
    }
    return Math.min(offset + Math.max(indent, 0) + column, value.range[1]);
  }
  if (line === 1 && value.type === Scalar.PLAIN) return start + column;
  if (line === 1 && (value.type === Scalar.QUOTE_DOUBLE || value.type === Scalar.QUOTE_SINGLE)) {
    const raw = src.text.slice(start + 1, start + 1 + column);
    if (!/[\\']/.test(raw)) return start + 1 + column;
  }
  return start;
}

/**
 * Where a file's content starts: its first line that is not blank, a comment or `---`. For
 * diagnostics about the file as a whole (its id, its derived name), which have no key of their
 * own; line 1 is often a `$schema` comment.
 */
export function fileStartSpan(file: string, text: string): SourceSpan {
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf("\n", offset);
    const line = text.slice(offset, nl === -1 ? undefined : nl).trim();
    if (line !== "" && !line.startsWith("#") && line !== "---") break;
    if (nl === -1) return { file, text, start: 0, end: Math.min(1, text.length) };
    offset = nl + 1;
  }
  const key = /^[ \t]*([^\s:#][^:\n]*?)(?=:|\s|$)/.exec(text.slice(offset));
  const start = offset + (key ? key[0].length - key[1]!.length : 0);
  return { file, text, start, end: start + Math.max(1, key ? key[1]!.length : 1) };
}
