// One prompt file → CompiledPrompt (IR + compiled templates), or diagnostics.
import type { z } from "zod";
import { didYouMean, type DiagnosticBag, type SourceSpan } from "../diagnostics/index.js";
import { durationMs } from "../format/duration.js";
import { PromptFile } from "../format/prompt-file.js";
type PromptData = z.output<typeof PromptFile>;
import { validateFormat } from "../format/validate.js";
import { contentHash } from "../ir/hash.js";
import type { CompiledPrompt, ModelTarget, PoliciesIR, PromptIR, ProviderDeclaration, Role } from "../ir/prompt-ir.js";
import { compileSchema } from "../schema/compile.js";
import type { JsonValue, ObjectNode, SchemaNode } from "../schema/ir.js";
import { reportValue } from "../schema/report-value.js";
import { compileTestCase } from "../eval/test-case.js";
import type { ConditionNode } from "../review/condition-ast.js";
import { checkCondition } from "../review/condition-check.js";
import { ConditionSyntaxError, parseCondition } from "../review/condition-parse.js";
import { locateIn, parseYaml, spanAt, templateOffset, type YamlSource } from "../source/yaml.js";
import type { TemplateProgram } from "../template/ast.js";
import { parseTemplate, type PartialLoader, type TemplateSource } from "../template/parse.js";
import { resolveTemplate } from "../template/resolve.js";
import { JOB_DEFAULTS, shutdownStatus } from "@promptc/runtime";
import { reportShutdown, resolveModelRef, type ResolvedConfig } from "./config.js";
import { checkProviders } from "./provider-checks.js";

export interface PromptSourceFile {
  id: string;
  /** Path shown to users and stamped into generated code. */
  source: string;
  text: string;
  /** Path used in diagnostics (relative to the working directory); defaults to `source`. */
  shown?: string;
}

export interface CompileContext {
  config: ResolvedConfig;
  loadPartial: (name: string) => (TemplateSource & { hashText: string }) | undefined;
  diagnostics: DiagnosticBag;
}

const ROLES: Role[] = ["system", "user", "assistant"];

export function compilePrompt(file: PromptSourceFile, ctx: CompileContext): CompiledPrompt | undefined {
  const { diagnostics } = ctx;
  const before = diagnostics.errorCount;
  const src = parseYaml(file.shown ?? file.source, file.text, diagnostics);
  if (!src) return undefined;
  const data = validateFormat(PromptFile, src, diagnostics);
  if (!data) return undefined;

  const input = compileInput(data.input, src, ctx);
  const output: SchemaNode = data.output === undefined ? { kind: "string" } : compileSchema(data.output, { named: ctx.config.named, locate: locateIn(src, ["output"]), diagnostics });

  const partialTexts = new Map<string, string>();
  const loadPartial: PartialLoader = (n) => {
    const p = ctx.loadPartial(n);
    if (p) partialTexts.set(n, p.hashText);
    return p;
  };
  const messages: PromptIR["messages"] = [];
  const programs: TemplateProgram[] = [];
  const used = new Set<string>();
  data.messages.forEach((entry, index) => {
    const role = ROLES.find((r) => r in entry)!;
    const template = (entry as Record<Role, string>)[role];
    messages.push({ role, template });
    const program = parseTemplate(templateSource(src, ["messages", index, role], template), loadPartial, diagnostics);
    if (!program || !input) return;
    programs.push(program);
    for (const u of resolveTemplate(program.body, input, diagnostics).used) used.add(u);
  });
  if (input && diagnostics.errorCount === before) {
    for (const p of input.properties) {
      if (!used.has(p.name)) {
        diagnostics.warning("PC1205", `input \`${p.name}\` is never used by the template`, spanAt(src, ["input", ...picoKeyPath(data.input, p.name)], "key"),
          "use it in a message, or remove it from `input:`");
      }
    }
  }

  const chain: ModelTarget[] = [];
  const addRef = (ref: string, path: (string | number)[]) => {
    const r = resolveModelRef(ref, ctx.config);
    if (!r.ok) {
      diagnostics.error("PC1401", r.message, spanAt(src, path), didYouMean(ref, r.candidates) ?? (r.candidates.length ? `known: ${r.candidates.join(", ")}` : "declare tiers in promptc.config.yaml"));
      return;
    }
    for (const t of r.targets) if (!chain.some((c) => c.provider === t.provider && c.model === t.model)) chain.push(t);
    // A tier's models are checked where the config declares them; a model named here, here.
    if (ref.includes(":")) reportShutdown(diagnostics, shutdownStatus(r.targets[0]!.provider, r.targets[0]!.model, ctx.config.today), `\`${ref}\``, spanAt(src, path));
  };
  addRef(data.model.tier, ["model", "tier"]);
  (data.model.fallbacks ?? []).forEach((f, i) => addRef(f, ["model", "fallbacks", i]));

  const policies = compilePolicies(data, ctx.config);
  if (policies.fallback.kind === "value") reportValue(output, policies.fallback.value, (path, part) => spanAt(src, ["fallback", "value", ...path], part), "PC1502", "fallback value", diagnostics);
  const tests = (data.tests ?? []).map((t, i) => compileTestCase(t, src, ["tests", i], input, output, diagnostics));
  const review = data.review && input ? compileReview(data.review, src, input, output, policies, diagnostics) : null;

  if (diagnostics.errorCount > before || !input) return undefined;

  const hash = contentHash({
    input,
    output,
    messages,
    partials: Object.fromEntries([...partialTexts].sort(([a], [b]) => (a < b ? -1 : 1))),
    model: data.model,
    retry: data.retry,
    on_invalid_output: data.on_invalid_output,
    fallback: data.fallback,
    budget: data.budget,
    cache: data.cache,
    job: data.job,
    review: data.review,
  });
  const partials = [...new Set(programs.flatMap((p) => p.partials))].sort();
  const ir: PromptIR = {
    id: file.id,
    declaredName: data.name ?? null,
    source: file.source,
    version: data.version,
    hash,
    description: data.description ?? null,
    model: {
      tier: data.model.tier,
      fallbacks: data.model.fallbacks ?? [],
      chain,
      providers: Object.fromEntries([...new Set(chain.map((c) => c.provider))].sort().map((name) => [name, declarationOf(name, ctx.config)])),
      maxTokens: data.model.max_tokens,
      temperature: data.model.temperature ?? null,
      topP: data.model.top_p ?? null,
      stop: data.model.stop ?? null,
      prices: pricesFor(chain, ctx.config.prices),
    },
    input,
    output,
    outputFormat: output.kind === "string" && !output.nullable ? "text" : "json",
    messages,
    partials,
    policies,
    tests,
    review,
  };
  checkProviders(ir, src, ctx.config, diagnostics, !!data.budget);
  return { ir, programs };
}

/** A provider as the runtime needs it; openai and anthropic exist without being declared. */
function declarationOf(name: string, config: ResolvedConfig): ProviderDeclaration {
  const declared = config.file.providers[name];
  if (declared) return { type: declared.type, ...(declared.base_url ? { base_url: declared.base_url } : {}), ...(declared.api_key_env ? { api_key_env: declared.api_key_env } : {}) };
  return { type: name === "anthropic" ? "anthropic" : "openai" };
}

function compileInput(value: unknown, src: YamlSource, ctx: CompileContext): ObjectNode | undefined {
  if (value === undefined || value === null) return { kind: "object", properties: [], additional: false };
  const node = compileSchema(value, { named: ctx.config.named, locate: locateIn(src, ["input"]), diagnostics: ctx.diagnostics });
  if (node.kind !== "object" || node.nullable) {
    ctx.diagnostics.error("PC1101", "`input` must describe an object: its fields are the template's variables", spanAt(src, ["input"]), "write fields, like `ticket: string`");
    return undefined;
  }
  return node;
}

/** The YAML key path of an input field, whose key may carry `?` and `(type)`. */
function picoKeyPath(input: unknown, field: string): string[] {
  if (input && typeof input === "object") {
    const obj = input as Record<string, unknown>;
    if (obj["properties"] && typeof obj["properties"] === "object") return ["properties", field];
    const key = Object.keys(obj).find((k) => k.replace(/[?(].*$/, "") === field);
    if (key) return [key];
  }
  return [field];
}

function templateSource(src: YamlSource, path: (string | number)[], text: string): TemplateSource {
  return {
    text,
    // Offsets are computed on first use: only diagnostics read them, and they need the
    // position-aware YAML parse that a clean build never pays for.
    span: (line, column, endLine, endColumn) => {
      let start: number | undefined;
      const startOf = () => (start ??= templateOffset(src, path, line, column));
      return {
        file: src.file,
        text: src.text,
        get start() {
          return startOf();
        },
        get end() {
          return endLine === line ? startOf() + Math.max(1, endColumn - column) : startOf() + 1;
        },
      } satisfies SourceSpan;
    },
  };
}

/**
 * `review:`: its condition parsed and checked against the input and output schemas, each problem
 * at its own line and column; `on_timeout: fallback` needs a fallback value to fall back to.
 */
function compileReview(review: NonNullable<PromptData["review"]>, src: YamlSource, input: ObjectNode, output: SchemaNode, policies: PoliciesIR, diagnostics: DiagnosticBag): PromptIR["review"] {
  const at = (offset: number, end: number): SourceSpan => {
    const before = review.when.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - (before.lastIndexOf("\n") + 1);
    const start = templateOffset(src, ["review", "when"], line, column);
    return { file: src.file, text: src.text, start, end: start + Math.max(1, end - offset) };
  };
  if (review.on_timeout === "fallback" && policies.fallback.kind !== "value") {
    diagnostics.error("PC1704", "`on_timeout: fallback` needs the prompt's fallback value, and it has none", spanAt(src, ["review", "on_timeout"]), "declare `fallback: { value: … }`, or use `on_timeout: reject`");
  }
  if (review.when.trim() === "always") return { condition: "always" };
  let tree: ConditionNode;
  try {
    tree = parseCondition(review.when);
  } catch (e) {
    if (!(e instanceof ConditionSyntaxError)) throw e;
    diagnostics.error("PC1701", `review condition: ${e.message}`, at(e.at, e.end), 'a condition reads like `output.confidence < 0.8 or output.queue == "abuse"`, or is `always`');
    return null;
  }
  for (const p of checkCondition(tree, input, output)) {
    diagnostics.error(p.kind === "unknown-field" ? "PC1702" : "PC1703", `review condition: ${p.message}`, at(p.at, p.end), p.hint);
  }
  return { condition: tree };
}

function compilePolicies(data: PromptData, config: ResolvedConfig): PoliciesIR {
  const d = config.file.defaults;
  const retry = { ...d.retry, ...data.retry, backoff: { ...d.retry?.backoff, ...data.retry?.backoff } };
  const fallback = data.fallback ?? d.fallback ?? "error";
  const budget = data.budget || d.budget ? { ...d.budget, ...data.budget } : null;
  const cache = data.cache !== undefined ? data.cache : d.cache;
  const job = data.job ?? d.job;
  const ms = (v: number | string | undefined, dflt: number) => (v === undefined ? dflt : durationMs(v));
  return {
    retry: {
      attempts: retry.attempts ?? 3,
      timeoutMs: ms(retry.timeout, 30_000),
      deadlineMs: retry.deadline === undefined ? null : durationMs(retry.deadline),
      backoff: { initialMs: ms(retry.backoff.initial, 500), maxMs: ms(retry.backoff.max, 8_000), multiplier: retry.backoff.multiplier ?? 2 },
    },
    reask: data.on_invalid_output?.reask ?? d.on_invalid_output?.reask ?? 1,
    fallback: fallback === "error" ? { kind: "error" } : { kind: "value", value: fallback.value as JsonValue },
    budget: budget && {
      perCallUsd: budget.per_call_usd ?? null,
      perUserPerDayUsd: budget.per_user_per_day_usd ?? null,
      perFeaturePerMonthUsd: budget.per_feature_per_month_usd ?? null,
      perPromptPerDayUsd: budget.per_prompt_per_day_usd ?? null,
      perPromptPerMonthUsd: budget.per_prompt_per_month_usd ?? null,
      feature: budget.feature ?? null,
      alertAt: budget.alert_at ?? 0.8,
      onExceeded: budget.on_exceeded ?? "error",
    },
    cache: cache ? { ttlMs: durationMs(cache.ttl), semantic: cache.semantic ? { threshold: cache.semantic === true ? 0.95 : cache.semantic.threshold } : null } : null,
    // Only when declared, so that prompts without it generate what they did before.
    ...(job ? { job: { maxAgeMs: ms(job.max_age, JOB_DEFAULTS.maxAgeMs), onOutage: job.on_outage ?? JOB_DEFAULTS.onOutage } } : {}),
    ...(data.review ? { review: { when: data.review.when.trim(), timeoutMs: ms(data.review.timeout, 86_400_000), onTimeout: data.review.on_timeout ?? "reject" } } : {}),
  };
}

/** The config's price overrides for the chain's models, in the runtime's shape; null when none. */
function pricesFor(chain: ModelTarget[], prices: ResolvedConfig["prices"]): PromptIR["model"]["prices"] {
  const own = chain.flatMap((t) => {
    const p = prices[`${t.provider}:${t.model}`];
    return p ? [[`${t.provider}:${t.model}`, p] as const] : [];
  });
  return own.length ? Object.fromEntries(own) : null;
}
