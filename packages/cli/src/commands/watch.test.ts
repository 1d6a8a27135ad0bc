// Watch mode as a user runs it, with chokidar on real files (the spawned smoke test of the watch
// family): a saved prompt is regenerated, a partial's users are rebuilt, errors keep the last good
// output, config edits reload, and Ctrl-C exits cleanly. The event-level behaviour (debounce,
// ignoring our own output, rewatching on a config change) is in watch.events.test.ts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scratchProject, spawnPromptc } from "../testing/cli.js";

let transcript = () => "";

// Generous: with the whole suite running on 2 cores, a rebuild can wait seconds for CPU.
async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}\n${transcript()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const p = scratchProject();
afterAll(() => p.remove());

describe("promptc build --watch", () => {
  it("rebuilds what changed and keeps going through errors", async () => {
    const child = spawnPromptc(p.dir, ["build", "--watch"]);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    transcript = () => `--- stdout\n${out}\n--- stderr\n${err}`;
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      await until("ready", () => out.includes("watching for changes"));
      const module = join(p.dir, "generated/support/route-ticket.ts");
      const promptFile = join(p.dir, "prompts/support/route-ticket.prompt.yaml");
      const original = readFileSync(promptFile, "utf8");

      // A saved prompt regenerates its module, and only it.
      const builds = () => out.split("promptc: built").length - 1;
      const before = builds();
      p.write("prompts/support/route-ticket.prompt.yaml", original.replace("version: 1", "version: 2").replace("You route support tickets for Acme.", "You route tickets for Acme."));
      await until("regenerated module", () => readFileSync(module, "utf8").includes("You route tickets for Acme."));
      await until("build line", () => builds() > before && out.includes("(1 file written, lockfile updated)"));

      // That our own writes trigger no rebuild is tested in process (watch.events.test.ts), without waiting for nothing.

      // A partial change rebuilds the prompts that use it.
      const reply = join(p.dir, "generated/support/draft-reply.ts");
      p.write("prompts/support/draft-reply.prompt.yaml", readFileSync(join(p.dir, "prompts/support/draft-reply.prompt.yaml"), "utf8").replace("version: 1", "version: 2"));
      p.write("prompts/partials/tone.hbs", "Be brief and kind.\n");
      await until("partial user rebuilt", () => readFileSync(reply, "utf8").includes("Be brief and kind."));

      // A broken prompt prints diagnostics and leaves the last good module in place.
      const good = readFileSync(module, "utf8");
      p.write("prompts/support/route-ticket.prompt.yaml", original.replace("version: 1", "version: 3").replace("{{ticket}}", "{{tikcet}}"));
      await until("diagnostics", () => err.includes("error[PC1202]") && out.includes("keeping the last good output"));
      expect(readFileSync(module, "utf8")).toBe(good);

      // Fixing it rebuilds.
      p.write("prompts/support/route-ticket.prompt.yaml", original.replace("version: 1", "version: 3"));
      await until("fixed", () => readFileSync(module, "utf8").includes("You route support tickets for Acme."));

      // A config change reloads: a new tier mapping lands in every module using it.
      const config = readFileSync(join(p.dir, "promptc.config.yaml"), "utf8");
      p.write("promptc.config.yaml", config.replace("fast: [openai:gpt-5.4-mini, anthropic:claude-haiku-4-5]", "fast: [openai:gpt-5.4-nano]"));
      await until("config reload", () => readFileSync(module, "utf8").includes('"chain":["openai:gpt-5.4-nano",'));

      // Two saves 15 ms apart (format-on-save): the second one wins, though chokidar throttles it.
      // (Each save bumps, as it would have to once the prompt is committed.)
      const summarize = join(p.dir, "prompts/knowledge/summarize.prompt.yaml");
      const s0 = readFileSync(summarize, "utf8");
      p.write("prompts/knowledge/summarize.prompt.yaml", s0.replace("version: 1", "version: 2").replace("faithfully", "faithfully (draft)"));
      await new Promise((r) => setTimeout(r, 15));
      p.write("prompts/knowledge/summarize.prompt.yaml", s0.replace("version: 1", "version: 3").replace("faithfully", "faithfully and briefly"));
      await until("second save", () => readFileSync(join(p.dir, "generated/knowledge/summarize.ts"), "utf8").includes("faithfully and briefly"));

      // A new prompt file is picked up and exported.
      p.write("prompts/new-one.prompt.yaml", "version: 1\nmodel: { tier: fast, max_tokens: 5 }\nmessages:\n  - user: hi\n");
      await until("new prompt", () => existsSync(join(p.dir, "generated/new-one.ts")) && readFileSync(join(p.dir, "generated/index.ts"), "utf8").includes("newOne"));
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  }, 60_000);
});

describe("a save made while the watcher starts", () => {
  it("is built, even the instant `watching for changes` is printed", async () => {
    const q = scratchProject();
    // A project of one prompt and no partials folder, as \`promptc init\` makes: the case chokidar missed.
    q.write("promptc.config.yaml", "prompts: app-prompts\nout: generated\n");
    q.write("app-prompts/top.prompt.yaml", "version: 1\nmodel: { tier: \"openai:gpt-5.4-mini\", max_tokens: 5 }\nmessages:\n  - user: first\n");
    const child = spawnPromptc(q.dir, ["build", "--watch"]);
    let out = "";
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    transcript = () => out;
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const file = join(q.dir, "app-prompts/top.prompt.yaml");
    let saved = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      // Saved synchronously on the line itself, before chokidar has settled.
      if (!saved && out.includes("watching for changes")) {
        saved = true;
        writeFileSync(file, readFileSync(file, "utf8").replace("first", "second"));
      }
    });
    try {
      await until("the early save built", () => existsSync(join(q.dir, "generated/top.ts")) && readFileSync(join(q.dir, "generated/top.ts"), "utf8").includes('"second"'));
    } finally {
      child.kill("SIGINT");
      await exited;
      q.remove();
    }
  }, 60_000);
});
