// Small helpers for writing TypeScript source text safely.

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** An object key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  // `__proto__: …` in an object literal sets the prototype; a computed key makes a property.
  if (name === "__proto__") return '["__proto__"]';
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** Property access: `.name` or `["na-me"]`. */
export function member(name: string): string {
  return IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** A JSDoc block; `*\/` inside text cannot end the comment early. */
export function jsDoc(lines: string[], indent = ""): string {
  const safe = lines.flatMap((l) => l.split("\n")).map((l) => l.replace(/\*\//g, "*\\/"));
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((l) => `${indent} *${l ? " " + l : ""}`).join("\n")}\n${indent} */\n`;
}

/** A string literal for source code. JSON string syntax is valid JS and escapes what needs escaping. */
export function stringLiteral(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * A JSON value as a JavaScript expression. JSON is valid JavaScript except for one key:
 * `"__proto__": …` in an object literal sets the prototype instead of making a property.
 */
export function jsonLiteral(value: unknown): string {
  const text = JSON.stringify(value);
  // A key is always preceded by `{` or `,`; inside a JSON string a quote is escaped, so this matches keys only.
  return text.includes('"__proto__":') ? text.replace(/([{,])"__proto__":/g, '$1["__proto__"]:') : text;
}
