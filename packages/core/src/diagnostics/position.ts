// Offsets → 1-based line and column, computed on demand so spans stay cheap.

export interface Position {
  line: number;
  col: number;
}

// The line starts of the last text asked about: positions are asked for one file at a time, and
// a table built once makes each lookup a binary search instead of a scan from the start.
let tableText: string | undefined;
let tableStarts: number[] = [];

function lineStarts(text: string): number[] {
  if (text === tableText) return tableStarts;
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  tableText = text;
  tableStarts = starts;
  return starts;
}

export function positionAt(text: string, offset: number): Position {
  const end = Math.max(0, Math.min(offset, text.length));
  const starts = lineStarts(text);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= end) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: end - starts[lo]! + 1 };
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
