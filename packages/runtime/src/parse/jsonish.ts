// A forgiving reader for what models write when asked for JSON: comments, single quotes,
// backticks, triple quotes, unquoted keys and values, trailing commas, and a value cut off at
// the end (closed where it stops). Returns undefined for text that holds no value at all.

export interface JsonishResult {
  value: unknown;
  /** Repairs made: each one lowers a candidate's score. */
  fixes: number;
}

export function readJsonish(text: string): JsonishResult | undefined {
  const r = new Reader(text);
  r.skip();
  if (r.done()) return undefined;
  const value = r.value(0);
  if (value === NOTHING) return undefined;
  return { value, fixes: r.fixes };
}

const NOTHING = Symbol("nothing");
type Value = unknown | typeof NOTHING;

class Reader {
  pos = 0;
  fixes = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.pos >= this.s.length;
  }

  /** Skips whitespace and comments. */
  skip(): void {
    for (;;) {
      while (this.pos < this.s.length && /\s/.test(this.s[this.pos]!)) this.pos++;
      if (this.s.startsWith("//", this.pos) || (this.s[this.pos] === "#" && this.pos > 0)) {
        const nl = this.s.indexOf("\n", this.pos);
        this.pos = nl === -1 ? this.s.length : nl + 1;
        this.fixes++;
      } else if (this.s.startsWith("/*", this.pos)) {
        const end = this.s.indexOf("*/", this.pos + 2);
        this.pos = end === -1 ? this.s.length : end + 2;
        this.fixes++;
      } else return;
    }
  }

  /** `inObject`: the value of an object's key, where unquoted text may hold commas. */
  value(depth: number, inObject = false): Value {
    this.skip();
    const ch = this.s[this.pos];
    if (ch === undefined) return NOTHING;
    if (ch === "{") return this.object(depth);
    if (ch === "[") return this.array(depth);
    if (OPENS.has(ch)) return this.string();
    return this.bare(depth > 0 ? /[,}\]\n]/ : /$^/, inObject);
  }

  private object(depth: number): Record<string, unknown> {
    this.pos++; // {
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skip();
      if (this.done()) {
        this.fixes++; // closed where the text stops
        return out;
      }
      const ch = this.s[this.pos]!;
      if (ch === "}") {
        this.pos++;
        return out;
      }
      if (ch === ",") {
        this.pos++;
        continue;
      }
      const quoted = OPENS.has(ch);
      const key = quoted ? this.string() : this.bareKey();
      this.skip();
      if (this.s[this.pos] === ":") this.pos++;
      else this.fixes++;
      const v = this.value(depth + 1, true);
      if (v === NOTHING && this.done()) {
        this.fixes++; // cut off before the value: the key was never given one
        return out;
      }
      // A quoted key is what the model wrote, spaces and all; a bare one ends where its text does.
      out[quoted ? key : key.trim()] = v === NOTHING ? null : v;
      this.skip();
      if (this.s[this.pos] === ",") this.pos++;
    }
  }

  private array(depth: number): unknown[] {
    this.pos++; // [
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.done()) {
        this.fixes++;
        return out;
      }
      const ch = this.s[this.pos]!;
      if (ch === "]") {
        this.pos++;
        return out;
      }
      if (ch === ",") {
        this.pos++;
        continue;
      }
      const before = this.pos;
      const v = this.value(depth + 1);
      if (v !== NOTHING) out.push(v);
      if (this.pos === before) this.pos++; // never stall on a stray character
      this.skip();
      if (this.s[this.pos] === ",") this.pos++;
    }
  }

  /** A quoted string: "", '', ``, or triple quotes; unescaped inner quotes are allowed when not followed by a delimiter. */
  private string(): string {
    const q = this.s[this.pos]!;
    const triple = !CURLY.has(q) && this.s.startsWith(q.repeat(3), this.pos);
    const close = triple ? q.repeat(3) : CURLY.get(q) ?? q;
    if (q !== '"') this.fixes++;
    this.pos += close.length;
    let out = "";
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos]!;
      if (ch === "\\" && !triple && this.pos + 1 < this.s.length) {
        const next = this.s[this.pos + 1]!;
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "/": "/", "\\": "\\", '"': '"', "'": "'", "`": "`" };
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.s.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          out += map[next] ?? next;
          this.pos += 2;
        }
        continue;
      }
      if (this.s.startsWith(close, this.pos)) {
        // An inner quote the model did not escape: a real closing quote is followed by a delimiter (or a comment).
        const rest = this.s.slice(this.pos + close.length).trimStart();
        if (triple || rest === "" || /^[:}\]]/.test(rest) || (rest.startsWith(",") && startsValue(rest.slice(1))) || rest.startsWith("//") || rest.startsWith("/*")) {
          this.pos += close.length;
          return triple ? dedentBlock(out, q === "`") : out;
        }
        this.fixes++;
      }
      if (ch === "\n" && !triple && q === '"') this.fixes++;
      out += ch;
      this.pos++;
    }
    this.fixes++; // unterminated
    return out;
  }

  private bareKey(): string {
    const start = this.pos;
    while (this.pos < this.s.length && !/[:,}\n]/.test(this.s[this.pos]!)) this.pos++;
    this.fixes++;
    return this.s.slice(start, this.pos);
  }

  /** An unquoted value: a number, true/false/null, or text up to the next delimiter. */
  private bare(stop: RegExp, inObject = false): Value {
    const start = this.pos;
    for (;;) {
      while (this.pos < this.s.length && !stop.test(this.s[this.pos]!)) this.pos++;
      const sofar = this.s.slice(start, this.pos).trim();
      const rest = this.s.slice(this.pos);
      // "-2,000.00": a comma followed by three digits inside a number is a thousands separator.
      if (/^-?\d{1,3}(,\d{3})*$/.test(sofar) && /^,\d{3}(?!\d)/.test(rest)) {
        this.pos += 4;
        continue;
      }
      // Unquoted text as an object's value runs on over a comma unless a key follows it.
      if (inObject && rest.startsWith(",") && !/^(-?\d+(\.\d+)?|true|false|null)$/.test(sofar) && !/^,\s*(["'`]?[\w$ -]+["'`]?\s*:|[}\]]|\/\/|\/\*|$)/.test(rest)) {
        this.pos++;
        continue;
      }
      // An unquoted value runs on over a line break unless the next line starts a key or closes.
      if (rest.startsWith("\n") && sofar !== "" && !/^\n\s*([\w"'` -]+:|[}\],]|$)/.test(rest)) {
        this.pos++;
        continue;
      }
      break;
    }
    let raw = this.s.slice(start, this.pos).trim();
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw)) raw = raw.replace(/,/g, "");
    if (raw === "") return NOTHING;
    if (raw === "true" || raw === "false") return raw === "true";
    if (raw === "null") return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
    this.fixes++;
    return raw;
  }
}

/**
 * Typographic quotes, as a word processor or a model writing prose puts them: an opening one
 * starts a string that its closing one ends. Inside a string they are text, like any character.
 */
const CURLY = new Map([["\u201C", "\u201D"], ["\u2018", "\u2019"]]);
const OPENS = new Set(['"', "'", "`", ...CURLY.keys()]);

/** What may follow a comma after a real closing quote: another value or key, or the end. */
function startsValue(rest: string): boolean {
  return /^\s*(["'`\u201C\u2018{[\]}]|-?\d|true\b|false\b|null\b|[\w$-]+\s*:|\/\/|\/\*|$)/.test(rest);
}

/**
 * A triple-quoted or fenced string as a code block: an opening line break (and, for backticks,
 * an info string such as `python`) is dropped, the common indentation removed, and a closing
 * line break trimmed, and lines of only spaces emptied.
 */
function dedentBlock(text: string, fence: boolean): string {
  let lines = text.split("\n");
  // A fence's first line is its info string (`typescript main.ts`); triple quotes just break the line.
  if (lines.length > 1 && (fence || lines[0]!.trim() === "")) lines = lines.slice(1);
  if (lines.length > 1 && lines[lines.length - 1]!.trim() === "") lines = lines.slice(0, -1);
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  // Lines of nothing but spaces are blank lines: emptied, as editors save them.
  return lines.map((l) => (l.trim() === "" ? "" : Number.isFinite(indent) ? l.slice(indent) : l)).join("\n");
}
