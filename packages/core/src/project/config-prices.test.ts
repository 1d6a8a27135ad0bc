// `prices:` in promptc.config.yaml: checked when the config loads, stamped into the modules of
// prompts whose chain uses a priced model, and left out of the content hash (a price is not
// part of a prompt's meaning).
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostics } from "../diagnostics/index.js";
import { BASIC_CONFIG, tempProject, type TempProject } from "../testing/temp-project.js";
import { ProjectBuilder } from "./builder.js";

const PROMPT = "version: 1\nmodel: { tier: fast, max_tokens: 50 }\nmessages:\n  - user: hi\n";
const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

function build(prices: string) {
  const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG + prices, "prompts/a.prompt.yaml": PROMPT });
  projects.push(p);
  return new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build({ dryRun: true });
}

describe("config prices", () => {
  it("are stamped into the modules of prompts that use the model, without changing their hash", () => {
    const plain = build("");
    const priced = build("prices:\n  openai:gpt-4.1-mini: { input: 0.5, output: 2, cached_input: 0.1 }\n  openai:unused: { input: 1, output: 1 }\n");
    expect(priced.ok).toBe(true);
    expect(priced.prompts[0]!.ir.model.prices).toEqual({ "openai:gpt-4.1-mini": { input: 0.5, output: 2, cachedInput: 0.1 } });
    expect(plain.prompts[0]!.ir.model.prices).toBeNull();
    expect(priced.prompts[0]!.ir.hash).toBe(plain.prompts[0]!.ir.hash);
  });

  it.each([
    ["negative", "{ input: -1, output: 2 }", /input is negative/],
    ["absurd (per token, not per million)", "{ input: 2500, output: 2 }", /not plausible/],
  ])("a %s price is an error naming the model, at its line", (_, value, message) => {
    const r = build(`prices:\n  openai:gpt-4.1-mini: ${value}\n`);
    expect(r.ok).toBe(false);
    const text = formatDiagnostics(r.diagnostics, { color: false });
    expect(text).toMatch(/error\[PC1402\]: price of openai:gpt-4.1-mini/);
    expect(text).toMatch(message);
    expect(text).toMatch(/--> \S*promptc\.config\.yaml:7:3/);
  });
});
