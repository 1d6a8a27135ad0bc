// Optional peers (provider SDKs, js-tiktoken): a missing one is a typed error naming what to
// install, and a call needing it ends at once with nothing sent.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePrompt } from "../define-prompt.js";
import { PackageMissingError } from "../errors/prompt-errors.js";
import { importOptional, MissingPackageError } from "./optional-package.js";
import { Runtime } from "../runtime.js";
import type { ProviderAdapter } from "../contract/provider.js";
import type { PromptMeta } from "../contract/prompt.js";

describe("importOptional", () => {
  it("turns a package that is not installed into MissingPackageError naming the install command", async () => {
    const e = await importOptional("promptc-no-such-package", "the test provider", () => import("promptc-no-such-package" as string)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MissingPackageError);
    expect(e).toMatchObject({ code: "E_PACKAGE_MISSING", packageName: "promptc-no-such-package" });
    expect((e as Error).message).toBe("the test provider needs the package `promptc-no-such-package`, which is not installed. Install it in your app: npm i promptc-no-such-package (or pnpm add / yarn add promptc-no-such-package)");
  });

  it("passes other failures through unchanged", async () => {
    const boom = new Error("syntax error in the package");
    await expect(importOptional("x", "y", () => Promise.reject(boom))).rejects.toBe(boom);
    // A dependency of the package missing is not the package missing.
    const inner = Object.assign(new Error("Cannot find package 'left-pad' imported from /x/node_modules/openai/index.js"), { code: "ERR_MODULE_NOT_FOUND" });
    await expect(importOptional("openai", "y", () => Promise.reject(inner))).rejects.toBe(inner);
  });

  it("loads a package that is there", async () => {
    await expect(importOptional("zod", "z", () => import("zod"))).resolves.toHaveProperty("z");
  });
});

describe("a call whose provider's SDK is missing", () => {
  const meta: PromptMeta = {
    id: "t/missing", version: 1, hash: "sha256:0000000000000000", source: "prompts/t/missing.prompt.yaml", description: null,
    model: { tier: "fast", chain: ["openai:gpt-a", "anthropic:claude-b"], providers: { openai: { type: "openai" }, anthropic: { type: "anthropic" } }, maxTokens: 10, temperature: 0, topP: null, stop: null },
    output: { format: "text" },
    policies: { retry: { attempts: 2, timeoutMs: 1000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 1 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null },
  } as PromptMeta;
  const prompt = definePrompt<{ q: string }, string>(meta, { InputSchema: z.object({ q: z.string() }), OutputSchema: z.string() }, (i) => [{ role: "user", content: i.q }]);

  it("ends with PackageMissingError naming the package, sends nothing, and records the call", async () => {
    let sent = 0;
    const missing: ProviderAdapter = {
      name: "openai",
      ready: () => Promise.reject(new MissingPackageError("openai", "the openai provider")),
      complete: async () => {
        sent++;
        throw new Error("never called");
      },
    };
    const other: ProviderAdapter = { name: "anthropic", complete: async () => (sent++, { text: "hi", model: "claude-b", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 } }) };
    const rt = new Runtime({ env: {}, providers: { openai: { adapter: missing }, anthropic: { adapter: other } } });
    const e = await prompt({ q: "hi" }, { runtime: rt }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PackageMissingError);
    expect(e).toMatchObject({ code: "E_PACKAGE_MISSING", packageName: "openai", promptId: "t/missing" });
    expect((e as Error).message).toContain("npm i openai");
    expect(sent).toBe(0);
    expect(rt.memory.records.at(-1)).toMatchObject({ errorCode: "E_PACKAGE_MISSING", attempts: [{ provider: "openai", outcome: "not_configured" }] });
  });
});

describe("generated validators without zod", () => {
  it("name the package to install", async () => {
    const meta = { id: "t/no-zod", version: 1, hash: "sha256:0000000000000000", source: "prompts/t/no-zod.prompt.yaml" } as PromptMeta;
    // What the generated `import("./x.schemas.js")` rejects with when zod is not installed.
    const notFound = Object.assign(new Error("Cannot find package 'zod' imported from /app/src/generated/x.schemas.js"), { code: "ERR_MODULE_NOT_FOUND" });
    const fn = definePrompt<{ q: string }, string>({ ...meta, model: { tier: "fast", chain: ["openai:gpt-a"], providers: {}, maxTokens: 5, temperature: null, topP: null, stop: null }, output: { format: "text" } } as PromptMeta, () => Promise.reject(notFound), (i) => [{ role: "user", content: i.q }]);
    const e = await fn({ q: "hi" }, { runtime: new Runtime({ env: {} }) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MissingPackageError);
    expect((e as Error).message).toBe("prompt `t/no-zod` (its generated validators) needs the package `zod`, which is not installed. Install it in your app: npm i zod (or pnpm add / yarn add zod)");
  });
});
