// Where a value may hide in a reply: fenced blocks, all bracketed regions as one list, each
// bracketed region (closed or cut off), and the whole text. In that order; the parser scores each.
export function candidates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/```[\w-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/g)) out.push(m[1]!);
  const regions: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "{" && ch !== "[") continue;
    const end = matching(text, i);
    regions.push(text.slice(i, end === -1 ? undefined : end + 1));
    if (end === -1) break;
    i = end;
  }
  // Several values side by side may be the items of a list.
  if (regions.length > 1) out.push(`[${regions.join(",")}]`);
  out.push(...regions);
  out.push(text);
  return [...new Set(out.filter((c) => c.trim() !== ""))];
}

/** Index of the bracket closing the one at `start`, skipping quoted text and fenced blocks; -1 if the text ends first. */
function matching(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    // A fenced block used as a value (code in a `code` field) may hold any brackets.
    if (text.startsWith("```", i)) {
      const close = text.indexOf("```", i + 3);
      if (close === -1) return -1;
      i = close + 2;
      continue;
    }
    if (ch === '"') quote = ch;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
