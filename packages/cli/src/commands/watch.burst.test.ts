// Watch mode keeps every save: bursts of saves to many files of a large project, with real
// chokidar, must each end with the last save of every file built into its module.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProjectBuilder } from "@promptc/core";
import { afterAll, describe, expect, it } from "vitest";
import { capturedIo } from "../testing/cli.js";
import { startWatch } from "./watch.js";

const N = 2000;
const dir = mkdtempSync(join(tmpdir(), "promptc-burst-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const prompt = (i: number, marker: string) => `version: 1
model: { tier: fast, max_tokens: 50 }
input: { ticket: string }
output: { queue(enum): [billing, technical] }
messages:
  - system: You route tickets for unit ${i}, ${marker}.
  - user: "{{ticket}}"
`;
const file = (i: number) => join(dir, "prompts", `team${String(Math.floor(i / 100)).padStart(3, "0")}`, `route-${i}.prompt.yaml`);
const moduleOf = (i: number) => join(dir, "generated", `team${String(Math.floor(i / 100)).padStart(3, "0")}`, `route-${i}.ts`);

describe("watch mode on a large project", () => {
  it(`builds the last save of every file through bursts of saves (${N} prompts)`, async () => {
    writeFileSync(join(dir, "promptc.config.yaml"), "prompts: prompts\nout: generated\nproviders:\n  openai: { type: openai }\ntiers:\n  fast: [openai:gpt-5.4-mini]\n");
    for (let i = 0; i < N; i++) {
      mkdirSync(join(file(i), ".."), { recursive: true });
      writeFileSync(file(i), prompt(i, "first"));
    }
    const io = capturedIo(dir, { ...process.env, NO_COLOR: "1" });
    const handle = startWatch(io, new ProjectBuilder(dir, join(dir, "promptc.config.yaml"), { cwd: dir }), { log: () => {} });
    try {
      await handle.ready;
      // A seeded sequence: 12 bursts of 25 saves a millisecond or two apart, some files saved
      // several times in one burst, with 0 to 120 ms between bursts, and a new file or two.
      let seed = 7;
      const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
      const last = new Map<number, string>();
      let total = N;
      for (let burst = 0; burst < 12; burst++) {
        for (let s = 0; s < 25; s++) {
          const i = random(N + 10) >= N ? total++ : random(total);
          const marker = `burst ${burst} save ${s}`;
          mkdirSync(join(file(i), ".."), { recursive: true });
          writeFileSync(file(i), prompt(i, marker));
          last.set(i, marker);
          await new Promise((r) => setTimeout(r, random(3)));
        }
        await new Promise((r) => setTimeout(r, random(120)));
      }
      // Each file's module ends with its last save: polled, as a person would look.
      await expect.poll(() => [...last].filter(([i, marker]) => !readFileContaining(moduleOf(i), marker)).map(([i]) => i), { timeout: 60_000, interval: 100 }).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 120_000);
});

function readFileContaining(path: string, text: string): boolean {
  try {
    return readFileSync(path, "utf8").includes(text);
  } catch {
    return false;
  }
}
