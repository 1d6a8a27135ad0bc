// Prompt ids and function names. The id is the path under the prompts folder without
// `.prompt.yaml`; the function name is the id in camelCase (`support/route-ticket` →
// `supportRouteTicket`), so adding a prompt never renames another.
import { RESERVED } from "../emit/ts-syntax.js";

export const PROMPT_SUFFIX = ".prompt.yaml";

export function promptIdOf(relativePath: string): string {
  return relativePath.replace(/\\/g, "/").replace(/\.prompt\.ya?ml$/, "");
}

export function functionNameOf(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (!name) name = "prompt";
  if (/^\d/.test(name)) name = "prompt" + name;
  if (RESERVED.has(name)) name += "Prompt";
  return name;
}

export interface NameAssignment {
  name: string;
  /** Set when the derived name clashed and a suffix was added. */
  adjustedFrom?: string;
}

/**
 * Assigns unique names. Explicit names win; among derived names that clash, ids are taken in
 * sorted order and later ones get a numeric suffix.
 */
export function assignNames(prompts: { id: string; explicit?: string | undefined }[]): Map<string, NameAssignment> {
  const out = new Map<string, NameAssignment>();
  const taken = new Set<string>(["index", "h", "z"]);
  for (const p of prompts) if (p.explicit) taken.add(p.explicit);
  for (const p of [...prompts].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (p.explicit) {
      out.set(p.id, { name: p.explicit });
      continue;
    }
    const base = functionNameOf(p.id);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    out.set(p.id, name === base ? { name } : { name, adjustedFrom: base });
  }
  return out;
}
