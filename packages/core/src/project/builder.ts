// The project build, as orchestration: discover prompts, compile them (reusing what did not
// change), name them (names.ts), check versions against the lockfile (versions.ts), emit, and
// write only what changed (output-files.ts). Watch mode keeps one ProjectBuilder alive.
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { DiagnosticBag, offsetAt, type Diagnostic } from "../diagnostics/index.js";
import { emitIndexModule } from "../emit/index-module.js";
import { emitPromptModules, SCHEMAS_SUFFIX, type PromptModules } from "../emit/module.js";
import { PROMPT_SUFFIX, promptIdOf } from "../ir/naming.js";
import { discover } from "./find-files.js";
import type { CompiledPrompt } from "../ir/prompt-ir.js";
import { fileStartSpan, parseYaml } from "../source/yaml.js";
import type { TemplateSource } from "../template/parse.js";
import { compilePrompt } from "./compile-prompt.js";
import { loadConfig, type ResolvedConfig } from "./config.js";
import { headFingerprint, readCommittedLockfile, readLockfile, readLockfileAt, serializeLockfile, type DraftReason, type Lockfile } from "./lockfile.js";
import { nameMap } from "./names.js";
import { OutputFiles } from "./output-files.js";
import { checkVersions } from "./versions.js";

export interface BuildOptions {
  /** Compute and compare only; write nothing, and report stale files as errors. */
  check?: boolean;
  /** Compile only, in memory (for inspect): no writes and no staleness report. */
  dryRun?: boolean;
  /**
   * Check versions against this lockfile (the base of a pull request) instead of the local one,
   * and report a lockfile on disk that does not match the prompts (PC1602). Writes nothing.
   */
  base?: string;
  /**
   * Watch mode: every change since the last build was reported through `invalidate`. Files not
   * reported are taken as they were (not read or listed again), and the output folder is
   * searched for orphans only when the list of prompts changed.
   */
  incremental?: boolean;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  prompts: CompiledPrompt[];
  /** Each prompt's exported function name, by id. */
  names: ReadonlyMap<string, string>;
  /** Files written (or, with check, files that would change), relative to the project root. */
  changed: string[];
  unchanged: number;
  lockfileChanged: boolean;
  /** With `base`: the lockfile as it was at that ref. */
  baseLock?: Lockfile;
  /**
   * Prompts edited without a version bump that the build let through because no version of
   * theirs is frozen yet (no git repository, or their lock entry not yet committed).
   */
  drafts?: { reason: DraftReason; ids: string[] };
  durationMs: number;
}

interface CacheEntry {
  text: string;
  partials: Map<string, string>;
  result: CompiledPrompt | undefined;
  diagnostics: Diagnostic[];
}

export class ProjectBuilder {
  private config: ResolvedConfig | undefined;
  private readonly pathNames = new Map<string, { config: ResolvedConfig; source: string; shown: string; id: string }>();
  private readonly cache = new Map<string, CacheEntry>();
  private readonly partialTexts = new Map<string, string | null>();
  private readonly files = new OutputFiles();
  /** Emitted module per compiled prompt, so an unchanged prompt is not printed again. */
  private readonly emitted = new WeakMap<CompiledPrompt, { name: string; content: PromptModules }>();

  constructor(
    readonly root: string,
    readonly configPath: string | null,
    /**
     * `today`: the day model shutdowns are judged against (tests fix it; default: now, at each
     * config load). `cwd`: what paths in diagnostics are shown relative to (default: the process's
     * working directory).
     */
    private readonly options: { today?: Date; cwd?: string } = {},
  ) {}

  /** Forget cached state for these absolute paths (watch mode calls this on change). */
  invalidate(paths: Iterable<string>): void {
    for (const p of paths) {
      if (this.configPath && p === this.configPath) {
        this.config = undefined;
        this.cache.clear();
        this.partialTexts.clear();
        this.listed = undefined;
        continue;
      }
      this.partialTexts.delete(p);
      this.files.forget(p);
      this.dirty.add(p);
    }
  }

  /** The prompt files of the last build that listed them, for an incremental build. */
  private listed: { config: ResolvedConfig; files: string[] } | undefined;
  /** Paths reported changed since the last build. */
  private readonly dirty = new Set<string>();
  /** The prompt list of the last build that wrote (the same array while no prompt was added or removed), for an incremental build's orphan check. */
  private lastWritten: string[] | undefined;
  /** The lockfile as last read or written, with the size and time it had then. */
  private lockSeen: { path: string; size: number; mtimeMs: number; lock: Lockfile } | undefined;

  /**
   * The prompt files: listed from disk, or (incremental) the last list with the reported
   * changes applied. A reported path that is a prompt file is added if it exists, dropped if not.
   */
  private promptFiles(config: ResolvedConfig, incremental: boolean): string[] {
    if (!incremental || this.listed?.config !== config) {
      const files = discover(config.promptsDir, config.partialsDir);
      this.listed = { config, files };
      return files;
    }
    let files = this.listed.files;
    const isPrompt = (p: string) => p.startsWith(config.promptsDir + sep) && !p.startsWith(config.partialsDir + sep) && (p.endsWith(PROMPT_SUFFIX) || p.endsWith(".prompt.yml"));
    const known = new Set(files);
    let touched = false;
    for (const p of this.dirty) {
      if (!isPrompt(p)) continue;
      const exists = existsSync(p);
      if (exists && !known.has(p)) (known.add(p), (touched = true));
      else if (!exists && known.has(p)) (known.delete(p), (touched = true));
    }
    if (touched) this.listed = { config, files: (files = [...known].sort()) };
    return files;
  }

  /** A prompt's two generated files, kept per id (watch mode builds often). */
  private outputPaths(id: string, config: ResolvedConfig): readonly [string, string] {
    let paths = this.outPaths.get(id);
    if (paths?.config !== config) {
      const base = join(config.outDir, ...id.split("/"));
      const ext = config.file.out_extension;
      paths = { config, files: [base + ext, base + SCHEMAS_SUFFIX + ext] };
      if (this.outPaths.size > 100_000) this.outPaths.clear();
      this.outPaths.set(id, paths);
    }
    return paths.files;
  }
  private readonly outPaths = new Map<string, { config: ResolvedConfig; files: readonly [string, string] }>();

  /** The local lockfile; incremental builds reuse the one last read or written while its size and time are unchanged. */
  private localLockfile(path: string, incremental: boolean): Lockfile {
    const stat = existsSync(path) ? statSync(path) : undefined;
    const seen = this.lockSeen;
    if (incremental && seen && seen.path === path && stat && seen.size === stat.size && seen.mtimeMs === stat.mtimeMs) return seen.lock;
    const lock = readLockfile(path);
    this.lockSeen = stat ? { path, size: stat.size, mtimeMs: stat.mtimeMs, lock } : undefined;
    return lock;
  }

  private get shownFrom(): string {
    return this.options.cwd ?? process.cwd();
  }

  get currentConfig(): ResolvedConfig | undefined {
    return this.config;
  }

  build(options: BuildOptions = {}): BuildResult {
    const started = performance.now();
    const timing = process.env["PROMPTC_TIMING"] ? (label: string) => process.stderr.write(`[timing] ${label}: ${(performance.now() - started).toFixed(1)} ms\n`) : () => {};
    const diagnostics = new DiagnosticBag();
    const fail = (): BuildResult => ({ ok: false, diagnostics: diagnostics.items, prompts: [], names: new Map(), changed: [], unchanged: 0, lockfileChanged: false, durationMs: performance.now() - started });

    this.config ??= loadConfig(this.root, this.configPath, diagnostics, this.options.today, this.shownFrom);
    const config = this.config;
    if (!config) return fail();
    if (diagnostics.hasErrors) {
      this.config = undefined;
      return fail();
    }

    const incremental = !!options.incremental && !options.dryRun && !options.check && options.base === undefined;
    const files = this.promptFiles(config, incremental);
    let compiled: CompiledPrompt[] = [];
    const ids = new Map<string, string>();
    for (const path of files) {
      const { source, shown, id } = this.namesOf(path, config);
      let text: string;
      // Incremental: a file no change was reported for is as it was when last read.
      const kept = incremental && !this.dirty.has(path) ? this.cache.get(path)?.text : undefined;
      try {
        text = kept ?? readFileSync(path, "utf8");
      } catch (e) {
        diagnostics.error("PC1005", `cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, undefined, "check the file's permissions");
        continue;
      }
      if (id.endsWith(SCHEMAS_SUFFIX)) {
        diagnostics.error("PC1305", `prompt id \`${id}\` ends with \`${SCHEMAS_SUFFIX}\`, which names generated validator modules`, fileStartSpan(shown, text), "rename the file");
        continue;
      }
      const clash = ids.get(id.toLowerCase());
      if (clash !== undefined) {
        diagnostics.error("PC1303", `prompt id \`${id}\` is also used by ${clash}`, fileStartSpan(shown, text), "rename one of the files: the id is the path under the prompts folder");
        continue;
      }
      ids.set(id.toLowerCase(), shown);
      const entry = this.compileCached(path, { id, source, text, shown }, config);
      diagnostics.push(...entry.diagnostics);
      if (entry.result) compiled.push(entry.result);
    }
    const present = new Set(files);
    for (const cached of this.cache.keys()) if (!present.has(cached)) this.cache.delete(cached);
    timing("compiled");

    this.dirty.clear();
    let local: Lockfile;
    try {
      local = this.localLockfile(config.lockfilePath, incremental);
    } catch (e) {
      diagnostics.error("PC1602", (e as Error).message, undefined, "delete it and run `promptc build` to write a new one");
      return fail();
    }
    timing("lockfile read");
    const shown = (p: CompiledPrompt) => toPosix(relative(this.shownFrom, join(config.root, p.ir.source)));
    const named = nameMap(compiled, local, diagnostics, { of: (p) => this.sourceOf(p), shown });
    const { names } = named;
    compiled = named.named;
    // Throws GitRefError for a ref that does not exist: the caller's to report.
    const base = options.base === undefined ? undefined : { ref: options.base, lock: readLockfileAt(config.lockfilePath, options.base) };
    timing("named");
    const { lock, drafts } = checkVersions(config, compiled, names, local, diagnostics, (p) => this.sourceOf(p), base, (path) => this.committedLockfile(path));
    if (base) {
      const onDisk = existsSync(config.lockfilePath) ? readFileSync(config.lockfilePath, "utf8") : null;
      const stale = onDisk !== serializeLockfile(lock);
      if (stale) diagnostics.error("PC1602", `lockfile ${toPosix(relative(this.shownFrom, config.lockfilePath))} is out of date`, undefined, "run `promptc build` and commit promptc.lock.json");
      return { ok: !diagnostics.hasErrors, diagnostics: diagnostics.items, prompts: compiled, names, changed: [], unchanged: 0, lockfileChanged: stale, baseLock: base.lock, durationMs: performance.now() - started };
    }
    timing("versions checked");
    // Every prompt compiled; only versions are wrong: the prompts are still there to inspect and diff.
    if (diagnostics.hasErrors) return { ...fail(), prompts: compiled, names };
    if (options.dryRun) return { ok: true, diagnostics: diagnostics.items, prompts: compiled, names, changed: [], unchanged: 0, lockfileChanged: false, ...(drafts && { drafts }), durationMs: performance.now() - started };

    // Emit everything in memory first: errors above mean nothing is written at all.
    const outputs = new Map<string, string>();
    const ext = config.file.out_extension;
    for (const p of compiled) {
      const modules = this.emit(p, names.get(p.ir.id)!, config);
      const [fn, schemas] = this.outputPaths(p.ir.id, config);
      outputs.set(fn, modules.function);
      outputs.set(schemas, modules.schemas);
    }
    timing("modules emitted");
    outputs.set(join(config.outDir, "index" + ext), emitIndexModule(compiled.map((p) => p.ir), names, ext));
    const lockText = serializeLockfile(lock);
    timing("emitted");

    const changed: string[] = [];
    let unchanged = 0;
    const made = new Set<string>();
    for (const [path, content] of outputs) {
      if (this.files.current(path) === content) {
        unchanged++;
        continue;
      }
      changed.push(toPosix(relative(config.root, path)));
      if (options.check) {
        diagnostics.error("PC1601", `generated file ${toPosix(relative(this.shownFrom, path))} is stale`, undefined, "run `promptc build` and commit the result");
      } else {
        this.files.write(path, content, made);
      }
    }
    timing("write loop");
    // Incremental: the output folder can hold no new orphan while the prompts are the same list
    // (a build that writes has every prompt compiled, and each prompt's files follow from its id).
    const sameOutputs = incremental && this.lastWritten === files;
    for (const orphan of sameOutputs ? [] : this.files.orphans(config, outputs)) {
      changed.push(toPosix(relative(config.root, orphan)));
      if (options.check) diagnostics.error("PC1601", `generated file ${toPosix(relative(this.shownFrom, orphan))} has no prompt any more`, undefined, "run `promptc build` to remove it");
      else rmSync(orphan);
    }
    timing("written");
    const lockCurrent = existsSync(config.lockfilePath) ? readFileSync(config.lockfilePath, "utf8") : null;
    const lockfileChanged = lockCurrent !== lockText;
    if (lockfileChanged) {
      if (options.check) diagnostics.error("PC1602", `lockfile ${toPosix(relative(this.shownFrom, config.lockfilePath))} is out of date`, undefined, "run `promptc build` and commit promptc.lock.json");
      else this.files.write(config.lockfilePath, lockText);
    }
    if (!options.check) {
      this.lastWritten = files;
      // What was just written is what an incremental build may reuse.
      if (lockfileChanged && existsSync(config.lockfilePath)) {
        const stat = statSync(config.lockfilePath);
        this.lockSeen = { path: config.lockfilePath, size: stat.size, mtimeMs: stat.mtimeMs, lock };
      }
    }
    return { ok: !diagnostics.hasErrors, diagnostics: diagnostics.items, prompts: compiled, names, changed, unchanged, lockfileChanged, ...(drafts && { drafts }), durationMs: performance.now() - started };
  }

  /**
   * The committed lockfile, read with git only when HEAD may have moved since the last read:
   * watch mode checks versions on every save, and git costs several milliseconds a call.
   */
  private committedLockfile(path: string): ReturnType<typeof readCommittedLockfile> {
    const fingerprint = headFingerprint(dirname(path));
    if (fingerprint !== null && this.committed?.path === path && this.committed.fingerprint === fingerprint) return this.committed.value;
    const value = readCommittedLockfile(path);
    this.committed = fingerprint === null ? undefined : { path, fingerprint, value };
    return value;
  }
  private committed: { path: string; fingerprint: string; value: ReturnType<typeof readCommittedLockfile> } | undefined;

  /** A prompt file's path from the project root, as shown to the user, and its id: kept per path, as watch mode rebuilds often. */
  private namesOf(path: string, config: ResolvedConfig): { source: string; shown: string; id: string } {
    let names = this.pathNames.get(path);
    if (names?.config !== config) {
      const source = toPosix(relative(config.root, path));
      names = { config, source, shown: toPosix(relative(this.shownFrom, path)) || source, id: promptIdOf(relative(config.promptsDir, path)) };
      if (this.pathNames.size > 100_000) this.pathNames.clear();
      this.pathNames.set(path, names);
    }
    return names;
  }

  private compileCached(path: string, file: { id: string; source: string; text: string; shown: string }, config: ResolvedConfig): CacheEntry {
    const hit = this.cache.get(path);
    if (hit && hit.text === file.text && [...hit.partials].every(([n, t]) => this.readPartial(config, n)?.text === t)) return hit;
    const bag = new DiagnosticBag();
    const used = new Map<string, string>();
    const result = compilePrompt({ id: file.id, source: file.source, text: file.text, shown: file.shown }, {
      config,
      diagnostics: bag,
      loadPartial: (name) => {
        const p = this.readPartial(config, name);
        if (p) used.set(name, p.text);
        return p;
      },
    });
    // A problem found in a partial says which prompt included it: the partial alone is not the whole story.
    const diagnostics = bag.items.map((d) => (d.span && d.span.file !== file.shown ? { ...d, message: `${d.message} (in a partial included by ${file.shown})` } : d));
    const entry: CacheEntry = { text: file.text, partials: used, result, diagnostics };
    this.cache.set(path, entry);
    return entry;
  }

  private emit(p: CompiledPrompt, name: string, config: ResolvedConfig): PromptModules {
    const hit = this.emitted.get(p);
    if (hit && hit.name === name) return hit.content;
    const content = emitPromptModules(p, name, { runtimeImport: config.file.runtime_import, extension: config.file.out_extension });
    this.emitted.set(p, { name, content });
    return content;
  }

  private readPartial(config: ResolvedConfig, name: string): (TemplateSource & { hashText: string }) | undefined {
    if (!/^[\w-]+(\/[\w-]+)*$/.test(name)) return undefined;
    const path = join(config.partialsDir, ...name.split("/")) + ".hbs";
    let text = this.partialTexts.get(path);
    if (text === undefined) {
      text = existsSync(path) ? readFileSync(path, "utf8") : null;
      this.partialTexts.set(path, text);
    }
    if (text === null) return undefined;
    const file = toPosix(relative(this.shownFrom, path));
    const body = text;
    return {
      text: body,
      hashText: body,
      span: (line, column, endLine, endColumn) => {
        const start = offsetAt(body, line, column);
        return { file, text: body, start, end: endLine === line ? start + Math.max(1, endColumn - column) : start + 1 };
      },
    };
  }

  private sourceOf(p: CompiledPrompt) {
    const path = join(this.config!.root, p.ir.source);
    const entry = this.cache.get(path);
    return entry ? parseYaml(toPosix(relative(this.shownFrom, path)), entry.text, new DiagnosticBag()) : undefined;
  }
}

function toPosix(p: string): string {
  return p.split(sep).join("/");
}
