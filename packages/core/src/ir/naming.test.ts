import { describe, expect, it } from "vitest";
import { assignNames, functionNameOf, promptIdOf } from "./naming.js";

describe("ids and function names", () => {
  const table: [string, string][] = [
    ["support/route-ticket", "supportRouteTicket"],
    ["summarize", "summarize"],
    ["Billing/Extract_Invoice", "billingExtractInvoice"],
    ["2fa/reset", "prompt2faReset"],
    ["delete", "deletePrompt"],
    ["index", "indexPrompt"],
  ];
  for (const [id, name] of table) it(`${id} → ${name}`, () => expect(functionNameOf(id)).toBe(name));

  it("derives the id from the path", () => expect(promptIdOf("support\\route-ticket.prompt.yaml")).toBe("support/route-ticket"));
});

describe("assignNames", () => {
  const cases: [string, { given: Parameters<typeof assignNames>[0]; names: Record<string, string>; clashes: [id: string, name: string, heldBy: string][] }][] = [
    ["derived names, no clash", { given: [{ id: "a/b" }, { id: "c" }], names: { "a/b": "aB", c: "c" }, clashes: [] }],
    ["a new prompt never takes a locked name, whatever the sort order", {
      given: [{ id: "reviews/classify", locked: "reviewsClassify" }, { id: "reviews-classify" }],
      names: { "reviews/classify": "reviewsClassify" },
      clashes: [["reviews-classify", "reviewsClassify", "reviews/classify"]],
    }],
    ["a locked name is kept even when the id would now derive another", {
      given: [{ id: "a/route_ticket", locked: "aRouteTicket2" }, { id: "a/route-ticket", locked: "aRouteTicket" }],
      names: { "a/route_ticket": "aRouteTicket2", "a/route-ticket": "aRouteTicket" },
      clashes: [],
    }],
    ["two new prompts with one derived name: the later id clashes", {
      given: [{ id: "a/b-c" }, { id: "a/b_c" }],
      names: { "a/b-c": "aBC" },
      clashes: [["a/b_c", "aBC", "a/b-c"]],
    }],
    ["an explicit name that another prompt holds in the lockfile clashes", {
      given: [{ id: "x", explicit: "summarize" }, { id: "summarize", locked: "summarize" }],
      names: { summarize: "summarize" },
      clashes: [["x", "summarize", "summarize"]],
    }],
    ["an explicit rename is honoured when the name is free", {
      given: [{ id: "x", explicit: "extract", locked: "x" }, { id: "y" }],
      names: { x: "extract", y: "y" },
      clashes: [],
    }],
  ];
  for (const [name, { given, names, clashes }] of cases) {
    it(name, () => {
      const a = assignNames(given);
      expect(Object.fromEntries(a.names)).toEqual(names);
      expect(a.clashes.map((c) => [c.id, c.name, c.heldBy])).toEqual(clashes);
    });
  }
});
