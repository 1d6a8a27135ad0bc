// The user's day from the README, against a real registry (Verdaccio on loopback), in fresh
// apps outside the repository: npm + ESM, pnpm + ESM, and a CommonJS TypeScript app, each on
// Node 20, 22 and 24. Runs under CI (.ci/run) or with PROMPTC_E2E=1; it installs Verdaccio and
// the Node binaries into ~/.cache/promptc-e2e on first use.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishAll, REPO, startRegistry, type Registry } from "./registry.js";
import { removeApp, userDay, type AppKind, type DayResult } from "./user-day.js";

const enabled = !!process.env["CI"] || !!process.env["PROMPTC_E2E"];
const NODES = [20, 22, 24] as const;
const KINDS: AppKind[] = ["npm-esm", "pnpm-esm", "npm-cjs"];

describe.skipIf(!enabled)("a user's day, installed from a registry (set PROMPTC_E2E=1 to run outside CI)", () => {
  let registry: Registry;
  const figures: Record<string, unknown> = {};
  beforeAll(async () => {
    registry = await startRegistry();
    publishAll(registry);
  }, 600_000);
  afterAll(async () => {
    await registry?.stop();
    mkdirSync(join(REPO, "e2e/.work"), { recursive: true });
    writeFileSync(join(REPO, "e2e/.work/user-day.json"), JSON.stringify(figures, null, 2) + "\n");
  });

  for (const node of NODES) {
    for (const kind of KINDS) {
      it(`${kind} on Node ${node}`, async () => {
        let day: DayResult | undefined;
        try {
          day = await userDay(kind, node, registry);
          figures[`${kind} node${node}`] = { steps: day.steps, installedKb: day.installedKb, installedDevKb: day.installedDevKb };
          // The typed calls ran against the local server: no key, no cost, marked local.
          expect(day.app).toMatchObject({ category: "billing", priority: "high", local: true, cost: 0, version: 1 });
          expect(day.app.hash).toMatch(/^sha256:[0-9a-f]{16}$/);
          // The editor settings init wrote map every file, at any depth, to a schema in the app that accepts it.
          expect(day.editor.map((e) => [e.file, e.schema.split("/").at(-1), e.valid, e.errors])).toEqual([
            ["promptc.config.yaml", "config.schema.json", true, "No errors"],
            ["prompts/triage.prompt.yaml", "prompt.schema.json", true, "No errors"],
            ["prompts/support/priority.prompt.yaml", "prompt.schema.json", true, "No errors"],
            ["prompts/support/priority.eval.yaml", "eval.schema.json", true, "No errors"],
          ]);
          // A provider SDK the app did not install is a typed error naming it (the CLI brings none).
          expect(day.missingSdk).toMatchObject({ code: "E_PACKAGE_MISSING", message: expect.stringContaining("npm i @anthropic-ai/sdk") });
          // The production install: runtime + zod + one SDK (openai), the goal: at most 35 MB. (pnpm's
          // folder keeps its virtual store of hard links, which du does not size the same way.)
          if (kind !== "pnpm-esm") expect(day.installedKb).toBeLessThan(35 * 1024);
          for (const out of [day.evalRecord, day.evalReplay]) {
            expect(out).toContain("3/3 cases passed");
            expect(out).toContain("answered by promptc's local server, not a model");
          }
          expect(day.evalRecord).toMatch(/; record$/m);
          expect(day.evalReplay).toMatch(/; replay$/m);
        } finally {
          removeApp(day);
        }
      }, 600_000);
    }
  }
});
