// Which ended calls a job waits out (an outage) and which end it (the call's own answer).
import { describe, expect, it } from "vitest";
import type { AttemptRecord } from "../contract/records.js";
import { endedByOutage } from "./outage.js";

const a = (outcome: AttemptRecord["outcome"], errorKind?: string): AttemptRecord => ({ provider: "p", model: "m", outcome, reask: false, latencyMs: 0, inputTokens: 0, outputTokens: 0, costUsd: null, ...(errorKind ? { errorKind } : {}) });

describe("endedByOutage", () => {
  it.each<[string, string | null, AttemptRecord[], boolean]>([
    ["5xx everywhere", "E_ALL_MODELS_FAILED", [a("transport_error", "server"), a("transport_error", "overloaded")], true],
    ["breakers open", "E_ALL_MODELS_FAILED", [a("unavailable", "rate_limit"), a("unavailable", "server")], true],
    ["timeouts, refused connections, 429s", "E_ALL_MODELS_FAILED", [a("transport_error", "timeout"), a("transport_error", "connection"), a("transport_error", "rate_limit")], true],
    ["a 401 among them: the key is wrong, waiting will not help", "E_ALL_MODELS_FAILED", [a("transport_error", "server"), a("transport_error", "auth")], false],
    ["a 400", "E_ALL_MODELS_FAILED", [a("transport_error", "bad_request")], false],
    ["invalid outputs: the models answered", "E_OUTPUT_INVALID", [a("invalid_output")], false],
    ["a model answered, another failed", "E_ALL_MODELS_FAILED", [a("transport_error", "server"), a("invalid_output")], false],
    ["no provider", "E_NO_PROVIDER", [a("not_configured")], false],
    ["over budget", "E_BUDGET_EXCEEDED", [a("budget_exceeded")], false],
    ["a success", null, [a("ok")], false],
    ["nothing attempted", "E_ALL_MODELS_FAILED", [], false],
  ])("%s", (_, errorCode, attempts, outage) => {
    expect(endedByOutage({ errorCode, attempts })).toBe(outage);
  });
});
