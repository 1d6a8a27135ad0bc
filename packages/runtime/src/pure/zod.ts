// zod, loaded with a prompt's validators on its first call instead of when the runtime is
// imported: importing zod costs ~100 ms on a small machine, more than everything else together.
import type * as Zod from "zod";

let zod: typeof Zod | undefined;

export async function loadZod(): Promise<typeof Zod> {
  return (zod ??= await import("zod"));
}

/** zod's own rendering of validation issues ("✖ message\n  → at path"). */
export function prettifyIssues(issues: readonly Zod.core.$ZodIssue[]): string {
  if (!zod) throw new Error("promptc: internal error: zod used before it was loaded");
  return zod.prettifyError({ issues } as Zod.ZodError);
}
