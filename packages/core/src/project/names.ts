// The build's name map: every prompt's exported function (its `name:`, else its name in the
// lockfile, else one derived from its id), and the prompts whose name another prompt holds
// (PC1304: left out of the build). The IR is never written to: emitters take the map.
import type { DiagnosticBag } from "../diagnostics/index.js";
import { assignNames } from "../ir/naming.js";
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import { fileStartSpan, spanAt, type YamlSource } from "../source/yaml.js";
import type { Lockfile } from "./lockfile.js";

export interface NameMap {
  /** Exported function name by prompt id. */
  names: ReadonlyMap<string, string>;
  /** The prompts that got a name, in their order. */
  named: CompiledPrompt[];
}

export function nameMap(compiled: CompiledPrompt[], lock: Lockfile, diagnostics: DiagnosticBag, source: { of(p: CompiledPrompt): YamlSource | undefined; shown(p: CompiledPrompt): string }): NameMap {
  const { names, clashes } = assignNames(compiled.map((p) => ({ id: p.ir.id, explicit: p.ir.declaredName ?? undefined, locked: lock.prompts[p.ir.id]?.name })));
  const byId = new Map(compiled.map((p) => [p.ir.id, p]));
  for (const c of clashes) {
    const p = byId.get(c.id)!;
    const holder = byId.get(c.heldBy)!;
    const src = source.of(p);
    const span = src && (c.explicit ? spanAt(src, ["name"]) : fileStartSpan(src.file, src.text));
    const since = c.heldSinceLock ? " (recorded in the lockfile: code that calls it keeps calling that prompt)" : "";
    diagnostics.error("PC1304", `\`${c.id}\` would export \`${c.name}\`, which ${source.shown(holder)} already exports${since}`, span,
      `${c.explicit ? "choose another" : "set"} \`name:\` in ${source.shown(p)} (for example \`name: ${c.name}2\`), or rename the file`);
  }
  return { names, named: compiled.filter((p) => names.has(p.ir.id)) };
}
