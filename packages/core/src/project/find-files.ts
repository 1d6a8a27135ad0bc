// Files under a folder by the end of their name, sorted: prompt files and eval files alike.
import { existsSync, readdirSync } from "node:fs";
import { join, sep } from "node:path";
import { PROMPT_SUFFIX } from "../ir/naming.js";

export function findFiles(dir: string, suffixes: readonly string[], excludeDir?: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    // Symlinks are followed when read; a dangling one is reported then (PC1005).
    if (!(e.isFile() || e.isSymbolicLink()) || !suffixes.some((s) => e.name.endsWith(s))) continue;
    const path = join(e.parentPath, e.name);
    if (excludeDir && path.startsWith(excludeDir + sep)) continue;
    out.push(path);
  }
  return out.sort();
}

/** *.prompt.yaml under the prompts folder, sorted, the partials folder excluded. */
export function discover(promptsDir: string, partialsDir: string): string[] {
  return findFiles(promptsDir, [PROMPT_SUFFIX, ".prompt.yml"], partialsDir);
}
