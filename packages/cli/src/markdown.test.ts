// Table cells stay one cell, whatever the text: checked by parsing with a GFM parser (marked).
import { marked, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { cellCode, cellText } from "./markdown.js";

const rowOf = (cells: string[]): Tokens.Table => {
  const md = `| a | b | c |\n|---|---|---|\n| ${cells.join(" | ")} |\n`;
  const table = marked.lexer(md).find((t) => t.type === "table") as Tokens.Table | undefined;
  if (!table) throw new Error(`not a table:\n${md}`);
  return table;
};

const decode = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

const NASTY = ["null|string", "a || b", "line one\nline two", "`tick` and ``two``", "ends with `", "back\\slash\\|pipe", "<img src=x onerror=alert(1)>", "[link](http://example.com)", "| leading and trailing |", "**bold** _x_"];

describe("Markdown table cells", () => {
  for (const text of NASTY) {
    it(`keeps ${JSON.stringify(text)} in one cell, as text and as code`, () => {
      const table = rowOf([cellText(text), cellCode(text), "end"]);
      expect(table.rows).toHaveLength(1);
      expect(table.rows[0]!.map((c) => c.text).at(-1)).toBe("end");
      // The code cell renders the text itself, with line breaks as spaces.
      const cells = [...marked.parser([table]).matchAll(/<td>(.*?)<\/td>/gs)].map((m) => m[1]!);
      expect(cells[1]).toMatch(/^<code>.*<\/code>$/s);
      expect(decode(cells[1]!.slice("<code>".length, -"</code>".length)).trim()).toBe(text.replace(/\n/g, " ").trim());
      // No HTML element and no Markdown link comes out of plain text (a bare URL may be autolinked).
      expect(table.rows[0]![0]!.tokens.some((t) => t.type === "html" || (t.type === "link" && (t as Tokens.Link).text === "link"))).toBe(false);
    });
  }
});
