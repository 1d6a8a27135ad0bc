// The index module: every prompt function, and its Input/Output types under prefixed names.
import type { PromptIR } from "../ir/prompt-ir.js";
import { banner } from "./banner.js";
import { importSuffix, type OutExtension } from "./module.js";

/** `names`: each prompt's exported function, by id (the build's name map). */
export function emitIndexModule(prompts: readonly PromptIR[], names: ReadonlyMap<string, string>, extension?: OutExtension): string {
  const suffix = importSuffix(extension);
  const lines = [...prompts]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((p) => {
      const name = names.get(p.id)!;
      const Name = name.charAt(0).toUpperCase() + name.slice(1);
      return `export { ${name}, type Input as ${Name}Input, type Output as ${Name}Output } from "./${p.id}${suffix}";`;
    });
  return banner(null) + "\n" + lines.join("\n") + "\n";
}
