// Watch mode in process, with a file watcher the test drives: events are dispatched by hand and
// time is fake, so debouncing, what is ignored and what a config change does are exact.
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ProjectBuilder } from "@promptc/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { capturedIo, scratchProject } from "../testing/cli.js";
import { startWatch, type FileWatcher, type WatchFiles } from "./watch.js";

class FakeWatcher extends EventEmitter implements FileWatcher {
  closed = false;
  constructor(readonly paths: string[], readonly ignored: (path: string) => boolean) {
    super();
    queueMicrotask(() => this.emit("ready"));
  }
  /** A change as chokidar reports it: only for paths it does not ignore. */
  save(path: string): void {
    if (!this.ignored(path)) this.emit("change", path);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function setUp() {
  const p = scratchProject();
  const watchers: FakeWatcher[] = [];
  const watch: WatchFiles = (paths, options) => {
    const w = new FakeWatcher(paths, options.ignored);
    watchers.push(w);
    return w;
  };
  const io = capturedIo(p.dir, { NO_COLOR: "1" });
  const lines: string[] = [];
  const builder = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml"), { cwd: p.dir });
  const handle = startWatch(io, builder, { watch, debounceMs: 25, log: (l) => void lines.push(l) });
  const builds = () => lines.filter((l) => l.startsWith("promptc: built")).length;
  const current = () => watchers.at(-1)!;
  return { p, io, lines, handle, builds, watchers, current };
}

describe("promptc build --watch, event by event", () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }));
  afterEach(() => void vi.useRealTimers());

  it("builds once at start, then once per burst of saves, after the debounce", async () => {
    const { p, lines, handle, builds, current } = setUp();
    try {
      await handle.ready;
      expect(builds()).toBe(1);
      expect(lines.at(-1)).toBe("promptc: watching for changes (Ctrl-C to stop)");
      const file = join(p.dir, "prompts/support/route-ticket.prompt.yaml");
      const text = readFileSync(file, "utf8");
      for (let i = 2; i <= 6; i++) {
        p.write("prompts/support/route-ticket.prompt.yaml", text.replace("version: 1", `version: ${i}`).replace("for Acme.", `for Acme (${i}).`));
        current().save(file);
        await vi.advanceTimersByTimeAsync(10); // inside the debounce: no build yet
      }
      expect(builds()).toBe(1);
      await vi.advanceTimersByTimeAsync(25);
      expect(builds()).toBe(2);
      expect(lines.at(-1)).toMatch(/\(1 file written, lockfile updated\)$/);
      expect(readFileSync(join(p.dir, "generated/support/route-ticket.ts"), "utf8")).toContain("for Acme (6).");
      // The trailing look after chokidar's throttle window finds nothing new and stays quiet.
      await vi.advanceTimersByTimeAsync(200);
      expect(builds()).toBe(2);
    } finally {
      await handle.close();
      p.remove();
    }
  });

  it("ignores its own output and the lockfile, so writing them triggers nothing", async () => {
    const { p, handle, current } = setUp();
    try {
      await handle.ready;
      const w = current();
      expect(w.ignored(join(p.dir, "generated/support/route-ticket.ts"))).toBe(true);
      expect(w.ignored(join(p.dir, "generated"))).toBe(true);
      expect(w.ignored(join(p.dir, "promptc.lock.json"))).toBe(true);
      expect(w.ignored(join(p.dir, "prompts/support/route-ticket.prompt.yaml.tmp"))).toBe(true);
      expect(w.ignored(join(p.dir, "prompts/support/route-ticket.prompt.yaml"))).toBe(false);
      expect(w.ignored(join(p.dir, "generated-notes/x.md"))).toBe(false);
      expect(w.paths).toEqual([join(p.dir, "prompts"), join(p.dir, "prompts/partials"), join(p.dir, "promptc.config.yaml")]);
    } finally {
      await handle.close();
      p.remove();
    }
  });

  it("a config change that moves the output folder rewatches, closing the old watcher", async () => {
    const { p, handle, watchers, current, builds } = setUp();
    try {
      await handle.ready;
      const config = join(p.dir, "promptc.config.yaml");
      p.write("promptc.config.yaml", readFileSync(config, "utf8").replace(/^out: .*$/m, "out: src/generated"));
      current().save(config);
      await vi.advanceTimersByTimeAsync(25);
      await vi.waitFor(() => expect(watchers).toHaveLength(2));
      expect(watchers[0]!.closed).toBe(true);
      expect(current().ignored(join(p.dir, "src/generated/index.ts"))).toBe(true);
      expect(builds()).toBeGreaterThanOrEqual(2);
      expect(readFileSync(join(p.dir, "src/generated/index.ts"), "utf8")).toContain("supportRouteTicket");
    } finally {
      await handle.close();
      p.remove();
    }
  });

  it("says when the watcher fails, with the fix for running out of inotify watches", async () => {
    const { p, handle, lines, current } = setUp();
    try {
      await handle.ready;
      current().emit("error", Object.assign(new Error("ENOSPC: System limit for number of file watchers reached"), { code: "ENOSPC" }));
      expect(lines.at(-1)).toMatch(/the file watcher failed: ENOSPC.*saves may not be seen\. Restart `promptc build --watch` after raising fs\.inotify\.max_user_watches\.$/);
    } finally {
      await handle.close();
      p.remove();
    }
  });

  it("close() stops the watcher and every timer: a save after it builds nothing", async () => {
    const { p, handle, builds, current } = setUp();
    await handle.ready;
    const w = current();
    const file = join(p.dir, "prompts/support/route-ticket.prompt.yaml");
    w.save(file);
    await handle.close();
    expect(w.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(builds()).toBe(1);
    p.remove();
  });
});
