// Versions against the lockfile: a changed prompt needs a bump (PC1301), versions never go back
// (PC1302), checked against the committed lockfile (or a pull request's base) so that an
// uncommitted version can be iterated on; and the lockfile this build would write.
import type { DiagnosticBag } from "../diagnostics/index.js";
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import { spanAt, type YamlSource } from "../source/yaml.js";
import type { ResolvedConfig } from "./config.js";
import { readCommittedLockfile, type DraftReason, type LockEntry, type Lockfile } from "./lockfile.js";

export function checkVersions(config: ResolvedConfig, compiled: CompiledPrompt[], names: ReadonlyMap<string, string>, lock: Lockfile, diagnostics: DiagnosticBag, sourceOf: (p: CompiledPrompt) => YamlSource | undefined, base?: { ref: string; lock: Lockfile }, readCommitted: (path: string) => Lockfile | { draft: DraftReason } = readCommittedLockfile): { lock: Lockfile; drafts?: { reason: DraftReason; ids: string[] } } {
  const next: Lockfile = { lockfileVersion: 1, prompts: {} };
  // Bumps are checked against the committed lockfile, so that an uncommitted version can be
  // iterated on in watch mode. Outside git, or before the lockfile is committed, nothing is
  // frozen yet: every prompt is a draft.
  let committed: Lockfile | { draft: DraftReason } | undefined;
  const drafts: string[] = [];
  let draftReason: DraftReason = "entry-not-committed";
  const referenceFor = (p: CompiledPrompt): LockEntry | undefined => {
    if (base) return base.lock.prompts[p.ir.id];
    const local = lock.prompts[p.ir.id];
    const conflict = local && (local.version > p.ir.version || (local.version === p.ir.version && local.hash !== p.ir.hash));
    if (!conflict) return local;
    committed ??= readCommitted(config.lockfilePath);
    const frozen = "draft" in committed ? undefined : committed.prompts[p.ir.id];
    if (!frozen) {
      drafts.push(p.ir.id);
      if ("draft" in committed) draftReason = committed.draft;
    }
    return frozen;
  };
  for (const p of compiled) {
    const locked = referenceFor(p);
    const src = () => sourceOf(p);
    if (locked && p.ir.version === locked.version && p.ir.hash !== locked.hash) {
      const s = src();
      diagnostics.error("PC1301", `\`${p.ir.id}\` changed but its version is still ${p.ir.version}${base ? ` (as at ${base.ref})` : ""}`, s && spanAt(s, ["version"]),
        `bump version to ${locked.version + 1} (${base ? `${base.ref} locked` : "the lockfile has"} ${locked.hash}, the prompt is now ${p.ir.hash})`);
    } else if (locked && p.ir.version < locked.version) {
      const s = src();
      diagnostics.error("PC1302", `\`${p.ir.id}\` version went backwards: ${p.ir.version} after ${locked.version}${base ? ` at ${base.ref}` : ""}`, s && spanAt(s, ["version"]),
        `versions only go up: use ${locked.version + 1}`);
    }
    next.prompts[p.ir.id] = { version: p.ir.version, hash: p.ir.hash, name: names.get(p.ir.id)! };
  }
  return drafts.length ? { lock: next, drafts: { reason: draftReason, ids: drafts } } : { lock: next };
}
