// Loads promptc.config.yaml (or uses defaults when there is none) and resolves its paths.
import { PriceTableError, shutdownStatus, validatePrices, type ModelPrice, type ShutdownStatus } from "@promptc/runtime";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { DiagnosticBag, type SourceSpan } from "../diagnostics/index.js";
import { ConfigFile } from "../format/config-file.js";
import { validateFormat } from "../format/validate.js";
import type { ModelTarget } from "../ir/prompt-ir.js";
import { compileNamedSchemas } from "../schema/compile.js";
import type { SchemaNode } from "../schema/ir.js";
import { lazySpanAt, locateIn, parseYaml, type YamlSource } from "../source/yaml.js";

export const CONFIG_FILE = "promptc.config.yaml";
const BUILTIN_PROVIDERS = ["openai", "anthropic"];

export interface ResolvedConfig {
  /** Folder of the config file: paths in it, and paths shown to users, are relative to it. */
  root: string;
  configPath: string | null;
  source: YamlSource | null;
  file: ConfigFile;
  promptsDir: string;
  outDir: string;
  partialsDir: string;
  lockfilePath: string;
  named: Map<string, SchemaNode>;
  providers: string[];
  /** `prices:` in the runtime's shape (camelCase), each checked; by `provider:model`. */
  prices: Record<string, PriceOverride>;
  /** The same, as the runtime reads them (defaults filled in), for the build's own price checks. */
  priceTable: Record<string, ModelPrice>;
  /** The day model shutdowns are judged against (today, or a test's). */
  today: Date;
}

type PriceOverride = { input: number; output: number; cachedInput?: number; cacheWrite?: number; cacheWrite1h?: number; contextWindow?: number };

export function findConfig(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Reads the config at `configPath`, or defaults rooted at `root` when it is null. */
/** `shownFrom`: what the config's path in diagnostics is relative to. */
export function loadConfig(root: string, configPath: string | null, diagnostics: DiagnosticBag, today = new Date(), shownFrom = process.cwd()): ResolvedConfig | undefined {
  let source: YamlSource | null = null;
  let raw: unknown = {};
  const base = configPath ? dirname(configPath) : resolve(root);
  if (configPath) {
    const text = readFileSync(configPath, "utf8");
    const src = parseYaml(relative(shownFrom, configPath) || CONFIG_FILE, text, diagnostics);
    if (!src) return undefined;
    source = src;
    raw = src.value ?? {};
  }
  const file = source ? validateFormat(ConfigFile, source, diagnostics) : ConfigFile.parse(raw);
  if (!file) return undefined;
  const named = compileNamedSchemas(file.schemas, diagnostics, source ? locateIn(source, ["schemas"]) : undefined);
  const promptsDir = resolve(base, file.prompts);
  const providers = [...new Set([...BUILTIN_PROVIDERS, ...Object.keys(file.providers)])];
  const config: ResolvedConfig = {
    root: base,
    configPath,
    source,
    file,
    promptsDir,
    outDir: resolve(base, file.out),
    partialsDir: resolve(base, file.partials ?? join(file.prompts, "partials")),
    lockfilePath: resolve(base, file.lockfile),
    named,
    providers,
    prices: {},
    priceTable: {},
    today,
  };
  for (const [model, p] of Object.entries(file.prices)) {
    const price: PriceOverride = {
      input: p.input,
      output: p.output,
      ...(p.cached_input !== undefined ? { cachedInput: p.cached_input } : {}),
      ...(p.cache_write !== undefined ? { cacheWrite: p.cache_write } : {}),
      ...(p.cache_write_1h !== undefined ? { cacheWrite1h: p.cache_write_1h } : {}),
      ...(p.context_window !== undefined ? { contextWindow: p.context_window } : {}),
    };
    try {
      Object.assign(config.priceTable, validatePrices({ [model]: price }));
      config.prices[model] = price;
    } catch (e) {
      if (!(e instanceof PriceTableError)) throw e;
      diagnostics.error("PC1402", e.message, source ? (locateIn(source, ["prices", model])([], "key") ?? undefined) : undefined, "prices are USD per million tokens, as providers list them");
    }
  }
  for (const [tier, models] of Object.entries(file.tiers)) {
    models.forEach((m, i) => {
      const provider = m.slice(0, m.indexOf(":"));
      // Read only when a diagnostic is reported: the position-aware parse is not paid otherwise.
      const at = source ? lazySpanAt(source, ["tiers", tier, i]) : undefined;
      if (!providers.includes(provider)) {
        diagnostics.error("PC1401", `tier \`${tier}\` uses unknown provider \`${provider}\``, at, `declare it under \`providers:\` or use ${providers.join(", ")}`);
        return;
      }
      reportShutdown(diagnostics, shutdownStatus(provider, m.slice(provider.length + 1), today), `tier \`${tier}\``, at);
    });
  }
  return config;
}

/**
 * A chain's model that shuts down within 30 days is a warning, one that has shut down an error
 * (every request to it fails at the API): both name the date and the replacement to consider.
 */
export function reportShutdown(diagnostics: DiagnosticBag, status: ShutdownStatus | undefined, where: string, span: SourceSpan | undefined): void {
  if (!status) return;
  const { shutdown, model } = status;
  const hint = `move ${where} to ${shutdown.replacement}, the replacement its provider names, and run \`promptc eval\` on the prompts that use it (${shutdown.source})`;
  if (status.state === "shut-down") {
    const when = shutdown.exact ? `shut down on ${shutdown.on}` : `had shut down by ${shutdown.on}`;
    diagnostics.error("PC1405", `${where} names ${model}, which ${when}: every request to it fails`, span, hint);
  } else {
    diagnostics.warning("PC1405", `${where} names ${model}, which shuts down on ${shutdown.on}, in ${status.daysLeft} day${status.daysLeft === 1 ? "" : "s"}: requests to it fail from then`, span, hint);
  }
}

export type ModelRefResult = { ok: true; targets: ModelTarget[] } | { ok: false; message: string; candidates: string[] };

/** A tier name → its ordered models; `provider:model` → that model. */
export function resolveModelRef(ref: string, config: ResolvedConfig): ModelRefResult {
  const colon = ref.indexOf(":");
  if (colon > 0) {
    const provider = ref.slice(0, colon);
    const model = ref.slice(colon + 1);
    if (!config.providers.includes(provider) || !model) {
      return { ok: false, message: `unknown provider \`${provider}\` in \`${ref}\``, candidates: config.providers };
    }
    return { ok: true, targets: [{ provider, model }] };
  }
  const models = config.file.tiers[ref];
  if (!models) return { ok: false, message: `unknown tier \`${ref}\``, candidates: Object.keys(config.file.tiers) };
  return { ok: true, targets: models.map((m) => ({ provider: m.slice(0, m.indexOf(":")), model: m.slice(m.indexOf(":") + 1) })) };
}
