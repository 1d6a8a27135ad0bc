// Malformed files of every kind: the build reports coded diagnostics and never throws.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASIC_CONFIG, tempProject, type TempProject } from "../testing/temp-project.js";
import { ProjectBuilder } from "./builder.js";

const M = "model: { tier: fast, max_tokens: 10 }\n";
const files: [string, string][] = [
  ["an empty file", ""],
  ["a scalar", "hello"],
  ["a list", "- a\n- b\n"],
  ["null messages", `version: 1\n${M}messages: null\n`],
  ["a message that is a string", `version: 1\n${M}messages: [hi]\n`],
  ["a message with a non-string template", `version: 1\n${M}messages: [{ user: { a: 1 } }]\n`],
  ["input that is a list", `version: 1\n${M}input: [1, 2]\nmessages: [{ user: hi }]\n`],
  ["input that is a scalar type", `version: 1\n${M}input: string\nmessages: [{ user: hi }]\n`],
  ["output that is a number", `version: 1\n${M}output: 42\nmessages: [{ user: hi }]\n`],
  ["a bad parenthetical", `version: 1\n${M}input: { "a(list)": string }\nmessages: [{ user: "{{a}}" }]\n`],
  ["an unclosed parenthetical", `version: 1\n${M}input: { "a(array": string }\nmessages: [{ user: hi }]\n`],
  ["an empty enum", `version: 1\n${M}input: { "a(enum)": [] }\nmessages: [{ user: "{{a}}" }]\n`],
  ["$ref", `version: 1\n${M}output: { type: object, properties: { a: { $ref: "#/x" } } }\nmessages: [{ user: hi }]\n`],
  ["an unknown JSON Schema type", `version: 1\n${M}output: { type: [strin] }\nmessages: [{ user: hi }]\n`],
  ["#each over a string", `version: 1\n${M}input: { s: string }\nmessages: [{ user: "{{#each s}}x{{/each}}" }]\n`],
  ["#each without an argument", `version: 1\n${M}messages: [{ user: "{{#each}}x{{/each}}" }]\n`],
  ["a helper with wrong arity", `version: 1\n${M}input: { a: string }\nmessages: [{ user: "{{eq a}}" }]\n`],
  ["a path-traversing partial name", `version: 1\n${M}messages: [{ user: "{{> ../../etc/passwd}}" }]\n`],
  ["a raw block", `version: 1\n${M}messages: [{ user: "{{{{raw}}}}x{{{{/raw}}}}" }]\n`],
  ["a decorator", `version: 1\n${M}messages: [{ user: "{{* deco}}" }]\n`],
  ["an inverse section", `version: 1\n${M}input: { a: string }\nmessages: [{ user: "{{^a}}x{{/a}}" }]\n`],
  ["@index outside each", `version: 1\n${M}messages: [{ user: "{{@index}}" }]\n`],
  ["a field of a string", `version: 1\n${M}input: { a: string }\nmessages: [{ user: "{{a.b}}" }]\n`],
  ["a negative version", `version: -1\n${M}messages: [{ user: hi }]\n`],
  ["a duplicate key", `version: 1\nversion: 2\n${M}messages: [{ user: hi }]\n`],
  ["a tab-indented file", `version: 1\nmodel:\n\ttier: fast\nmessages: [{ user: hi }]\n`],
  ["a bad duration", `version: 1\n${M}retry: { timeout: soon }\nmessages: [{ user: hi }]\n`],
  ["a test with an undeclared input", `version: 1\n${M}input: { a: string }\nmessages: [{ user: "{{a}}" }]\ntests: [{ name: t, input: { b: 1 } }]\n`],
  ["an alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"],
];

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

describe("the build never throws on bad input", () => {
  for (const [name, text] of files) {
    it(name, () => {
      const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, "prompts/a.prompt.yaml": text });
      projects.push(p);
      const r = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build();
      expect(r.ok).toBe(false);
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      expect(errors.length).toBeGreaterThan(0);
      for (const d of errors) {
        expect(d.code).toMatch(/^PC\d{4}$/);
        expect(d.span?.file).toContain("a.prompt.yaml");
      }
    });
  }
});
