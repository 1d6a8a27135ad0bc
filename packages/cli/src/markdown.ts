// Text placed into Markdown (GitHub's flavour) that must stay one table cell, or one code span:
// what `promptc diff` and the eval reports write into pull requests.

/**
 * Text in a table cell: pipes escaped (else the row splits), line breaks as spaces, HTML and
 * links inert; backticks and emphasis are left to render, as the reasons use them.
 */
export function cellText(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/[\\[\]<>|]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : `\\${c}`));
}

/**
 * Text as a code span, safe in a table cell: fenced by more backticks than any run inside, padded
 * when it starts or ends with one, pipes escaped (GitHub splits cells on a pipe even inside a
 * code span, and reads `\|` there as a pipe). Text with a backslash before a pipe cannot be
 * written so; it becomes a `<code>` element with the characters as entities.
 */
export function cellCode(text: string): string {
  const flat = text.replace(/\r?\n/g, " ");
  if (/\\\|/.test(flat)) return `<code>${flat.replace(/[&<>|\\]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>`;
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
}
