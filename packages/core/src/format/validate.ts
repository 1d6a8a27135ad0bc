// Checks a parsed YAML value against a format schema and reports zod issues at their source position.
import type { z } from "zod";
import { didYouMean, type DiagnosticBag } from "../diagnostics/index.js";
import { spanAt, spanOfParent, type YamlSource } from "../source/yaml.js";

type Path = (string | number)[];

export function validateFormat<S extends z.ZodType>(schema: S, src: YamlSource, diagnostics: DiagnosticBag): z.output<S> | undefined {
  const result = schema.safeParse(src.value ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) report(schema, issue, src, diagnostics);
  return undefined;
}

function report(root: z.ZodType, issue: z.core.$ZodIssue, src: YamlSource, diagnostics: DiagnosticBag): void {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol") as Path;
  const where = path.length ? `\`${path.join(".")}\`` : "the file";
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = keysAt(root, path, src.value);
      for (const key of issue.keys) {
        const help = didYouMean(key, allowed) ?? (allowed.length ? `allowed keys: ${allowed.join(", ")}` : undefined);
        diagnostics.error("PC1002", `unknown key \`${key}\`${path.length ? ` in ${where}` : ""}`, spanAt(src, [...path, key], "key"), help);
      }
      return;
    }
    case "invalid_type": {
      const missing = valueAt(src.value, path) === undefined;
      if (missing) {
        const key = path[path.length - 1];
        diagnostics.error("PC1004", `missing required key \`${String(key)}\``, spanOfParent(src, path.slice(0, -1)), `add \`${String(key)}:\``);
      } else if (path.length === 0) {
        diagnostics.error("PC1003", `expected a mapping of keys at the top of the file, got ${describe(src.value)}`, spanAt(src, path));
      } else {
        const got = valueAt(src.value, path);
        const key = path[path.length - 1];
        // A number written in quotes: say what it is and how to write it.
        const numeric = issue.expected === "number" && typeof got === "string" && got.trim() !== "" && Number.isFinite(Number(got));
        const what = key === "max_tokens" ? "a whole number of tokens" : numeric ? "a number" : `${issue.expected}`;
        diagnostics.error("PC1003", `${where}: expected ${what}, got ${describe(got)}`, spanAt(src, path), numeric ? `write it without quotes: \`${String(key)}: ${got.trim()}\`` : undefined);
      }
      return;
    }
    case "invalid_union": {
      const value = valueAt(src.value, path);
      if (path[0] === "messages" && path.length === 2 && (typeof value !== "object" || value === null || Array.isArray(value))) {
        diagnostics.error("PC1003", `a message is a role and its template, got ${describe(value)}`, spanAt(src, path), "write `- user: …`, `- system: …` or `- assistant: …`");
        return;
      }
      if (path[0] === "messages" && value && typeof value === "object" && !Array.isArray(value)) {
        const keys = Object.keys(value);
        const roles = ["system", "user", "assistant"];
        const bad = keys.find((k) => !roles.includes(k));
        if (bad !== undefined) {
          diagnostics.error("PC1002", `unknown message role \`${bad}\``, spanAt(src, [...path, bad], "key"), didYouMean(bad, roles) ?? "use system, user or assistant");
        } else {
          diagnostics.error("PC1003", `a message has exactly one role key, found ${keys.length}`, spanAt(src, path), "write `- user: …` as its own list item");
        }
        return;
      }
      const inner = issue.errors.flat().find((e) => e.code !== "invalid_type") ?? issue.errors.flat()[0];
      diagnostics.error("PC1003", `${where}: ${inner?.message ?? issue.message}`, spanAt(src, path));
      return;
    }
    default:
      diagnostics.error("PC1003", `${where}: ${issue.message}`, spanAt(src, path));
  }
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} \`${String(v)}\``;
}

/** The keys the schema allows for the object at `path`, for "did you mean". */
function keysAt(schema: z.ZodType, path: Path, value: unknown): string[] {
  let s: unknown = schema;
  let v = value;
  for (const seg of path) {
    s = step(unwrap(s), seg, (v as Record<string | number, unknown> | undefined)?.[seg]);
    v = (v as Record<string | number, unknown> | undefined)?.[seg];
  }
  const obj = findObject(unwrap(s), v);
  return obj ? Object.keys(obj) : [];
}

type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; element?: unknown; options?: unknown[]; valueType?: unknown; in?: unknown };

function unwrap(s: unknown): unknown {
  let cur = s as { _zod?: { def: Def } } | undefined;
  while (cur?._zod && ["optional", "default", "nullable", "pipe", "prefault"].includes(cur._zod.def.type)) {
    cur = (cur._zod.def.innerType ?? cur._zod.def.in) as typeof cur;
  }
  return cur;
}

function findObject(s: unknown, v: unknown): Record<string, unknown> | undefined {
  const def = (s as { _zod?: { def: Def } } | undefined)?._zod?.def;
  if (!def) return undefined;
  if (def.type === "object") return def.shape;
  if (def.type === "union") {
    const shapes = (def.options ?? []).map((o) => findObject(unwrap(o), v)).filter((x): x is Record<string, unknown> => !!x);
    return shapes.length ? Object.assign({}, ...shapes) : undefined;
  }
  return undefined;
}

function step(s: unknown, seg: string | number, v: unknown): unknown {
  const def = (s as { _zod?: { def: Def } } | undefined)?._zod?.def;
  if (!def) return undefined;
  if (def.type === "array") return def.element;
  if (def.type === "record") return def.valueType;
  const obj = findObject(s, v);
  return obj?.[String(seg)];
}
