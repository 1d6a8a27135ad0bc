// promptc build --watch: rebuild what changed, debounce bursts, ignore our own output,
// reload on config changes, keep the last good output on errors, exit cleanly on Ctrl-C.
import { watch as chokidarWatch } from "chokidar";
import { resolve, sep } from "node:path";
import type { ProjectBuilder } from "@promptc/core";
import type { Io } from "../io.js";
import { buildSummary, lockfileName, noteDrafts, printDiagnostics } from "../output.js";

/** What watch mode needs of a file watcher: chokidar's, or a test's that dispatches events itself. */
export interface FileWatcher {
  on(event: "add" | "change" | "unlink", listener: (path: string) => void): this;
  on(event: "error", listener: (error: unknown) => void): this;
  once(event: "ready", listener: () => void): this;
  close(): Promise<void>;
}

export type WatchFiles = (paths: string[], options: { ignoreInitial: true; ignored: (path: string) => boolean }) => FileWatcher;

export interface WatchOptions {
  debounceMs?: number;
  log?: (line: string) => void;
  /** The file watcher (default: chokidar). */
  watch?: WatchFiles;
}

export interface WatchHandle {
  close(): Promise<void>;
  /** Resolves after the first build and the watcher being ready (tests wait on it). */
  ready: Promise<void>;
}

export function startWatch(io: Io, builder: ProjectBuilder, options: WatchOptions = {}): WatchHandle {
  // Long enough to take an editor's save (write, rename) as one; the trailing re-check catches what comes later.
  const debounceMs = options.debounceMs ?? 10;
  const log = options.log ?? ((line: string) => io.stdout.write(line + "\n"));
  const watchFiles: WatchFiles = options.watch ?? chokidarWatch;
  let watcher: FileWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let closed = false;


  // chokidar drops a second `change` of one file within 50 ms (its throttle), so a quick second
  // save (format-on-save) could be missed. After each burst, look again past that window.
  const CHOKIDAR_CHANGE_THROTTLE_MS = 50;
  let trailingTimer: NodeJS.Timeout | undefined;
  let recheck = new Set<string>();
  let lastSignature = "";

  const report = (result: ReturnType<ProjectBuilder["build"]>, quietIfSame: boolean): void => {
    const signature = result.diagnostics.map((d) => `${d.code}@${d.span?.file}:${d.span?.start}`).join(",");
    const same = result.ok && result.changed.length === 0 && !result.lockfileChanged ? signature === lastSignature : !result.ok && signature === lastSignature;
    lastSignature = signature;
    if (quietIfSame && same) return;
    printDiagnostics(io, result.diagnostics);
    noteDrafts(io, result.drafts, lockfileName(io, builder), log);
    if (result.ok) log(buildSummary(io, builder, result));
    else log(`promptc: build failed; keeping the last good output. Watching for changes…`);
  };

  // A rebuild for saves the watcher reported is incremental: only those files are read again.
  // The others (after the watcher starts, or moves) read and list everything, in case a save
  // came while no watcher was listening.
  const rebuild = (paths: Set<string>, quietIfSame: boolean): void => {
    builder.invalidate(paths);
    report(builder.build({ incremental: paths.size > 0 }), quietIfSame);
    // A config change can move the folders we watch: watch the new ones, then rebuild once
    // more, quietly, for anything that changed while no watcher was listening.
    if (watchedKey() !== currentKey) void rewatch().then(() => rebuild(new Set(), true));
  };

  const schedule = (path: string): void => {
    const abs = resolve(path);
    pending.add(abs);
    recheck.add(abs);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = pending;
      pending = new Set();
      rebuild(changed, false);
    }, debounceMs);
    clearTimeout(trailingTimer);
    trailingTimer = setTimeout(() => {
      const paths = recheck;
      recheck = new Set();
      if (pending.size === 0) rebuild(paths, true);
    }, debounceMs + CHOKIDAR_CHANGE_THROTTLE_MS + 25);
  };

  let currentKey = "";
  const watchedKey = (): string => {
    const c = builder.currentConfig;
    return c ? [c.promptsDir, c.partialsDir, c.outDir, c.lockfilePath].join("\0") : currentKey;
  };

  const rewatch = async (): Promise<void> => {
    await watcher?.close();
    if (closed) return;
    currentKey = watchedKey();
    const config = builder.currentConfig;
    const targets = [config?.promptsDir ?? builder.root, ...(config ? [config.partialsDir] : []), ...(builder.configPath ? [builder.configPath] : [])];
    const outDir = config?.outDir;
    const lockfile = config?.lockfilePath;
    const w = watchFiles(targets, {
      ignoreInitial: true,
      ignored: (path: string) => !!outDir && (path === outDir || path.startsWith(outDir + sep)) || path === lockfile || path.endsWith(".tmp"),
    });
    w.on("add", schedule).on("change", schedule).on("unlink", schedule);
    // A watcher that cannot watch (out of inotify watches, a folder gone) says so instead of going quiet.
    w.on("error", (e: unknown) => log(`promptc: the file watcher failed: ${(e as Error).message ?? String(e)}; saves may not be seen. Restart \`promptc build --watch\`${(e as NodeJS.ErrnoException).code === "ENOSPC" ? " after raising fs.inotify.max_user_watches" : ""}.`));
    watcher = w;
    await new Promise<void>((r) => w.once("ready", () => r()));
  };

  report(builder.build(), false);
  // chokidar's "ready" comes a moment before it sees changes to files it found (a save in the
  // first ~50 ms after it was missed): look again, quietly, now and once past that moment, so a
  // save made while the watcher was starting is built too.
  const WATCHER_SETTLE_MS = 150;
  let settleTimer: NodeJS.Timeout | undefined;
  const ready = rewatch().then(() => {
    if (closed) return;
    rebuild(new Set(), true);
    settleTimer = setTimeout(() => rebuild(new Set(), true), WATCHER_SETTLE_MS);
    log("promptc: watching for changes (Ctrl-C to stop)");
  });

  return {
    ready,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      clearTimeout(trailingTimer);
      clearTimeout(settleTimer);
      await watcher?.close();
    },
  };
}
