// The content hash follows meaning, not spelling.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASIC_CONFIG, tempProject, type TempProject } from "../testing/temp-project.js";
import { ProjectBuilder } from "../project/builder.js";

const BASE = `version: 1
description: Route it.
model: { tier: fast, max_tokens: 100, temperature: 0 }
input:
  ticket: string, the message
output:
  queue(enum): [a, b]
messages:
  - user: "Ticket: {{ticket}}"
`;

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

function hashOf(text: string, extra: Record<string, string> = {}): string {
  const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, "prompts/a.prompt.yaml": text, ...extra });
  projects.push(p);
  const r = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build({ dryRun: true });
  expect(r.ok).toBe(true);
  return r.prompts[0]!.ir.hash;
}

const base = hashOf(BASE);

describe("content hash", () => {
  const same: [string, string][] = [
    ["comments", "# a comment\n" + BASE.replace("tier: fast,", "tier: fast, # the tier\n   ")],
    ["key order", BASE.replace("model: { tier: fast, max_tokens: 100, temperature: 0 }", "model: { temperature: 0, max_tokens: 100, tier: fast }")],
    ["YAML formatting", BASE.replace("model: { tier: fast, max_tokens: 100, temperature: 0 }", "model:\n  tier: fast\n  max_tokens: 100\n  temperature: 0.0")],
    ["version, description and tests", BASE.replace("version: 1", "version: 7").replace("Route it.", "Routes tickets.") + "tests:\n  - { name: t, input: { ticket: x } }\n"],
  ];
  for (const [name, text] of same) it(`ignores ${name}`, () => expect(hashOf(text)).toBe(base));

  const different: [string, string][] = [
    ["template text", BASE.replace("Ticket: {{ticket}}", "Ticket:  {{ticket}}")],
    ["a field description the model sees", BASE.replace("the message", "the customer's message")],
    ["max_tokens", BASE.replace("max_tokens: 100", "max_tokens: 101")],
    ["a policy", BASE + "retry: { attempts: 2 }\n"],
    ["an enum value", BASE.replace("[a, b]", "[a, c]")],
    // The schema the model sees is the same, but JSON Schema's validator rejects extra keys where Picoschema's drops them.
    ["JSON Schema's additionalProperties: false for a Picoschema object", BASE.replace("  queue(enum): [a, b]", "  type: object\n  properties:\n    queue: { enum: [a, b] }\n  required: [queue]\n  additionalProperties: false")],
  ];
  for (const [name, text] of different) it(`changes with ${name}`, () => expect(hashOf(text)).not.toBe(base));

  it("changes with the order of output fields: the model writes them in that order", () => {
    const queueFirst = BASE.replace("  queue(enum): [a, b]", "  queue(enum): [a, b]\n  why: string");
    const whyFirst = BASE.replace("  queue(enum): [a, b]", "  why: string\n  queue(enum): [a, b]");
    expect(hashOf(queueFirst)).not.toBe(hashOf(whyFirst));
    expect(hashOf(queueFirst)).toBe(hashOf(queueFirst.replace("# x", "")));
  });

  it("changes when an included partial changes", () => {
    const withPartial = BASE.replace('"Ticket: {{ticket}}"', '"Ticket: {{ticket}} {{> sig}}"');
    const a = hashOf(withPartial, { "prompts/partials/sig.hbs": "Thanks" });
    const b = hashOf(withPartial, { "prompts/partials/sig.hbs": "Thanks!" });
    expect(a).not.toBe(b);
  });
});
