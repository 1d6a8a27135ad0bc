import { describe, expect, it } from "vitest";
import { assignNames, functionNameOf, promptIdOf } from "./naming.js";

describe("ids and function names", () => {
  const table: [string, string][] = [
    ["support/route-ticket", "supportRouteTicket"],
    ["summarize", "summarize"],
    ["Billing/Extract_Invoice", "billingExtractInvoice"],
    ["2fa/reset", "prompt2faReset"],
    ["delete", "deletePrompt"],
  ];
  for (const [id, name] of table) it(`${id} → ${name}`, () => expect(functionNameOf(id)).toBe(name));

  it("derives the id from the path", () => expect(promptIdOf("support\\route-ticket.prompt.yaml")).toBe("support/route-ticket"));

  it("never hands out the same name twice, and says when it adjusted one", () => {
    const names = assignNames([{ id: "a/route-ticket" }, { id: "a/route_ticket" }, { id: "a-route/ticket" }, { id: "x", explicit: "aRouteTicket3" }]);
    expect(names.get("a-route/ticket")).toEqual({ name: "aRouteTicket" });
    expect(names.get("a/route-ticket")).toEqual({ name: "aRouteTicket2", adjustedFrom: "aRouteTicket" });
    expect(names.get("a/route_ticket")).toEqual({ name: "aRouteTicket4", adjustedFrom: "aRouteTicket" });
    expect(names.get("x")).toEqual({ name: "aRouteTicket3" });
  });
});
