// Prompt ids and function names. The id is the path under the prompts folder without
// `.prompt.yaml`; the function name is the id in camelCase (`support/route-ticket` →
// `supportRouteTicket`), or the file's `name:`. Once built, a prompt's name is recorded in the
// lockfile and kept: a new prompt never takes an export an app already calls.

/** Words that cannot name an exported function (reserved in TypeScript, or globals it would shadow). */
const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
    "implements interface package private protected public await arguments eval undefined NaN Infinity").split(" "),
);

export const PROMPT_SUFFIX = ".prompt.yaml";

/** Names the generated index module uses itself. */
const GENERATED = new Set(["index", "h", "z"]);

export function promptIdOf(relativePath: string): string {
  return relativePath.replace(/\\/g, "/").replace(/\.prompt\.ya?ml$/, "");
}

export function functionNameOf(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (!name) name = "prompt";
  if (/^\d/.test(name)) name = "prompt" + name;
  if (RESERVED.has(name) || GENERATED.has(name)) name += "Prompt";
  return name;
}

export interface NameRequest {
  id: string;
  /** The file's `name:`, if it has one. */
  explicit?: string | undefined;
  /** The name recorded in the lockfile, if the prompt was built before. */
  locked?: string | undefined;
}

interface NameClash {
  id: string;
  name: string;
  /** Whether the name came from the file's `name:` (else it was derived from the id). */
  explicit: boolean;
  /** The prompt that holds the name. */
  heldBy: string;
  /** Whether the holder had it recorded in the lockfile already. */
  heldSinceLock: boolean;
}

export interface NameAssignment {
  names: Map<string, string>;
  /** Prompts that got no name: each asked for one another prompt holds. */
  clashes: NameClash[];
}

/**
 * Gives each prompt its name: `name:` if the file has one, else the locked name, else the one
 * derived from its id. Names already in the lockfile are claimed first, so a new prompt (or a
 * renamed one) that asks for a name in use is the one that clashes; among new prompts, ids are
 * taken in sorted order. Nothing is renamed to settle a clash.
 */
export function assignNames(prompts: readonly NameRequest[]): NameAssignment {
  const names = new Map<string, string>();
  const clashes: NameClash[] = [];
  const holders = new Map<string, { id: string; sinceLock: boolean }>();
  const wanted = (p: NameRequest) => p.explicit || p.locked || functionNameOf(p.id);
  const stable = (p: NameRequest) => p.locked !== undefined && wanted(p) === p.locked;
  const order = [...prompts].sort((a, b) => Number(stable(b)) - Number(stable(a)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of order) {
    const name = wanted(p);
    const holder = holders.get(name);
    if (holder) {
      clashes.push({ id: p.id, name, explicit: !!p.explicit, heldBy: holder.id, heldSinceLock: holder.sinceLock });
      continue;
    }
    holders.set(name, { id: p.id, sinceLock: stable(p) });
    names.set(p.id, name);
  }
  return { names, clashes };
}
