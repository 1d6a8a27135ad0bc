// Importing the runtime loads only what a generated module needs at import. zod, cockatiel,
// the provider code and the call loop load on the first call (docs/architecture.md).
// Checked on the built (bundled) runtime in a fresh process, by which modules Node resolves when.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = new URL("../dist/index.js", import.meta.url).href;
const hook = `export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("resolved " + r.url + "\\n"); return r; }`;
const script = `
import { register } from "node:module";
register("data:text/javascript,${encodeURIComponent(hook)}");
const { definePrompt } = await import(${JSON.stringify(dist)});
const meta = { id: "t/x", version: 1, hash: "sha256:0", source: "x", description: null,
  model: { tier: "fast", chain: ["openai:m"], providers: { openai: { type: "openai" } }, maxTokens: 10, temperature: null, topP: null, stop: null },
  output: { format: "text", schema: null, strict: false, wrapped: false },
  policies: { retry: { attempts: 1, timeoutMs: 1000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null } };
const fn = definePrompt(meta, async () => { const { z } = await import("zod"); return { InputSchema: z.object({ q: z.string() }), OutputSchema: z.string() }; }, (i) => [{ role: "user", content: i.q }]);
process.stderr.write("--- imported\\n");
const request = await fn.render({ q: "hi" });
process.stderr.write("--- rendered " + request.messages[0].content + "\\n");
`;

describe("lazy loading", () => {
  it("importing the runtime loads neither zod, cockatiel, the providers nor the call loop; the first render does", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) });
    expect(r.status, r.stderr).toBe(0);
    const [atImport, afterRender] = r.stderr.split("--- imported\n") as [string, string];
    const heavy = /\/node_modules\/(zod|cockatiel|openai|@anthropic-ai)\/|\/dist\/chunks\/engine-/;
    expect(atImport.split("\n").filter((l) => heavy.test(l))).toEqual([]);
    expect(atImport).toMatch(/resolved .*\/dist\/index\.js/);
    expect(afterRender).toMatch(/resolved .*\/dist\/chunks\/engine-\w+\.js/);
    expect(afterRender).toMatch(/resolved .*\/node_modules\/zod\//);
    expect(afterRender).toContain("--- rendered hi");
  });
});
