// What changed between two builds of a project (a pull request's base and head), per prompt,
// in terms a reviewer acts on: versions, message templates, schema changes classified for
// callers, and model and policy settings.
import { jsonSchemasOf } from "../emit/schema/prompt-schemas.js";
import type { PromptIR } from "../ir/prompt-ir.js";
import { canonicalJson } from "../ir/hash.js";
import { schemaChanges, type SchemaChange } from "./schema-changes.js";

export interface SettingChange {
  setting: string;
  before: string;
  after: string;
}

export type PromptDiff =
  | { id: string; status: "added"; head: PromptIR }
  | { id: string; status: "removed"; base: PromptIR }
  | {
      id: string;
      status: "changed";
      base: PromptIR;
      head: PromptIR;
      /** Message templates that differ, by position. */
      messages: { index: number; role: string; before: string | null; after: string | null }[];
      schema: { input: SchemaChange[]; output: SchemaChange[] };
      settings: SettingChange[];
    };

const show = (v: unknown) => (v === null || v === undefined ? "none" : typeof v === "string" ? v : canonicalJson(v));

export function diffPrompts(base: readonly PromptIR[], head: readonly PromptIR[]): PromptDiff[] {
  const before = new Map(base.map((p) => [p.id, p]));
  const after = new Map(head.map((p) => [p.id, p]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: PromptDiff[] = [];
  for (const id of ids) {
    const a = before.get(id);
    const b = after.get(id);
    if (!a) out.push({ id, status: "added", head: b! });
    else if (!b) out.push({ id, status: "removed", base: a });
    else if (a.hash !== b.hash || a.version !== b.version) {
      const messages = [];
      for (let i = 0; i < Math.max(a.messages.length, b.messages.length); i++) {
        const ma = a.messages[i];
        const mb = b.messages[i];
        if (ma?.role !== mb?.role || ma?.template !== mb?.template) messages.push({ index: i, role: mb?.role ?? ma!.role, before: ma?.template ?? null, after: mb?.template ?? null });
      }
      const settings: SettingChange[] = [];
      const setting = (name: string, x: unknown, y: unknown) => {
        if (canonicalJson(x ?? null) !== canonicalJson(y ?? null)) settings.push({ setting: name, before: show(x), after: show(y) });
      };
      setting("tier", a.model.tier, b.model.tier);
      setting("fallbacks", a.model.fallbacks.join(", ") || null, b.model.fallbacks.join(", ") || null);
      setting("models", a.model.chain.map((m) => `${m.provider}:${m.model}`).join(" → "), b.model.chain.map((m) => `${m.provider}:${m.model}`).join(" → "));
      setting("max_tokens", a.model.maxTokens, b.model.maxTokens);
      setting("temperature", a.model.temperature, b.model.temperature);
      setting("top_p", a.model.topP, b.model.topP);
      setting("stop", a.model.stop, b.model.stop);
      for (const k of Object.keys({ ...a.policies, ...b.policies }) as (keyof PromptIR["policies"])[]) setting(k, a.policies[k], b.policies[k]);
      setting("partials", a.partials.join(", ") || null, b.partials.join(", ") || null);
      out.push({
        id, status: "changed", base: a, head: b, messages,
        schema: { input: schemaChanges("input", jsonSchemasOf(a).input, jsonSchemasOf(b).input), output: schemaChanges("output", jsonSchemasOf(a).output, jsonSchemasOf(b).output) },
        settings,
      });
    }
  }
  return out;
}
