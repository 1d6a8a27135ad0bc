// Offsets → 1-based line and column, computed on demand so spans stay cheap.

export interface Position {
  line: number;
  col: number;
}

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}

/** Offset of a 1-based line and 0-based column, clamped to the text. */
export function offsetAt(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + column, text.length);
}

/** `file:line:col` of where a span starts. */
export function locationOf(span: { file: string; text: string; start: number }): string {
  const { line, col } = positionAt(span.text, span.start);
  return `${span.file}:${line}:${col}`;
}
