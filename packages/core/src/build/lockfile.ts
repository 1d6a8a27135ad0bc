// promptc.lock.json: the committed record of each prompt's version and content hash.
import { existsSync, readFileSync } from "node:fs";

export interface LockEntry {
  version: number;
  hash: string;
}

export interface Lockfile {
  lockfileVersion: 1;
  prompts: Record<string, LockEntry>;
}

export function emptyLockfile(): Lockfile {
  return { lockfileVersion: 1, prompts: {} };
}

export function readLockfile(path: string): Lockfile {
  if (!existsSync(path)) return emptyLockfile();
  const data = JSON.parse(readFileSync(path, "utf8")) as Partial<Lockfile>;
  if (data.lockfileVersion !== 1 || typeof data.prompts !== "object" || data.prompts === null) {
    throw new Error(`${path}: not a promptc lockfile (expected lockfileVersion 1)`);
  }
  return { lockfileVersion: 1, prompts: data.prompts };
}

/** Sorted keys and a trailing newline, so the file diffs cleanly in review. */
export function serializeLockfile(lock: Lockfile): string {
  const prompts = Object.fromEntries(Object.entries(lock.prompts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => [id, { version: e.version, hash: e.hash }]));
  return JSON.stringify({ lockfileVersion: 1, prompts }, null, 2) + "\n";
}
