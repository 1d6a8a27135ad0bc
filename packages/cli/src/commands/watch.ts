// promptc build --watch: rebuild what changed, debounce bursts, ignore our own output,
// reload on config changes, keep the last good output on errors, exit cleanly on Ctrl-C.
import { watch, type FSWatcher } from "chokidar";
import { resolve, sep } from "node:path";
import type { ProjectBuilder } from "@promptc/core";
import { printDiagnostics } from "../output.js";
import { summary } from "./build.js";

export interface WatchHandle {
  close(): Promise<void>;
  /** Resolves after the first build and the watcher being ready (tests wait on it). */
  ready: Promise<void>;
}

export function startWatch(builder: ProjectBuilder, options: { debounceMs?: number; log?: (line: string) => void } = {}): WatchHandle {
  const debounceMs = options.debounceMs ?? 25;
  const log = options.log ?? ((line: string) => process.stdout.write(line + "\n"));
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let closed = false;

  const rebuild = (): void => {
    const changed = pending;
    pending = new Set();
    builder.invalidate(changed);
    const configChanged = !!builder.configPath && changed.has(builder.configPath);
    const result = builder.build();
    printDiagnostics(result.diagnostics);
    if (result.ok) log(summary(builder, result));
    else log(`promptc: build failed; keeping the last good output. Watching for changes…`);
    if (configChanged) void rewatch();
  };

  const schedule = (path: string): void => {
    pending.add(resolve(path));
    clearTimeout(timer);
    timer = setTimeout(rebuild, debounceMs);
  };

  const rewatch = async (): Promise<void> => {
    await watcher?.close();
    if (closed) return;
    const config = builder.currentConfig;
    const targets = [config?.promptsDir ?? builder.root, ...(config ? [config.partialsDir] : []), ...(builder.configPath ? [builder.configPath] : [])];
    const outDir = config?.outDir;
    const lockfile = config?.lockfilePath;
    const w = watch(targets, {
      ignoreInitial: true,
      ignored: (path: string) => !!outDir && (path === outDir || path.startsWith(outDir + sep)) || path === lockfile || path.endsWith(".tmp"),
    });
    w.on("add", schedule).on("change", schedule).on("unlink", schedule);
    watcher = w;
    await new Promise<void>((r) => w.once("ready", () => r()));
  };

  const first = builder.build();
  printDiagnostics(first.diagnostics);
  log(first.ok ? summary(builder, first) : "promptc: build failed. Watching for changes…");
  const ready = rewatch().then(() => log("promptc: watching for changes (Ctrl-C to stop)"));

  return {
    ready,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await watcher?.close();
    },
  };
}
