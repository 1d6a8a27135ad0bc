// The value so far of a JSON text that is still arriving: open strings, arrays and objects are
// closed, and an unfinished member (a key, a `true` half-written) is dropped back to the last
// complete one. Used for typed partial objects while streaming.

/** The value the prefix describes so far, or undefined when nothing can be read yet. */
export function parsePartialJson(text: string): unknown {
  const start = text.search(/[[{"\-\d]|true|false|null/);
  if (start === -1) return undefined;
  let prefix = text.slice(start);
  for (let tries = 0; tries < 64 && prefix.length > 0; tries++) {
    const closed = close(prefix);
    if (closed !== undefined) {
      try {
        return JSON.parse(closed);
      } catch {
        /* cut back and try again */
      }
    }
    const cut = lastBoundary(prefix);
    if (cut <= 0) return undefined;
    prefix = prefix.slice(0, cut);
  }
  return undefined;
}

/** The prefix with its open string and containers closed, or undefined if it ends mid-member. */
function close(prefix: string): string | undefined {
  const stack: string[] = [];
  const { inString, escaped } = scan(prefix, (ch) => {
    if (ch === "{" || ch === "[") stack.push(ch);
    else if (ch === "}" || ch === "]") stack.pop();
  });
  let out = prefix;
  if (inString) out = (escaped ? out.slice(0, -1) : out) + '"';
  out = out.trimEnd();
  if (out.endsWith(",")) out = out.slice(0, -1);
  if (out.endsWith(":")) return undefined; // a key without its value yet
  for (let i = stack.length - 1; i >= 0; i--) out += stack[i] === "{" ? "}" : "]";
  return out;
}

/** Where to cut to drop the last, unfinished member: before its comma, or just inside its container. */
function lastBoundary(prefix: string): number {
  let boundary = -1;
  scan(prefix, (ch, i) => {
    if (ch === ",") boundary = i;
    else if (ch === "{" || ch === "[") boundary = i + 1;
  });
  return boundary === prefix.length ? boundary - 1 : boundary;
}

/** Walks the text, calling `structural` for each character outside strings; says how it ended. */
function scan(text: string, structural: (ch: string, index: number) => void): { inString: boolean; escaped: boolean } {
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else structural(ch, i);
  }
  return { inString, escaped };
}
