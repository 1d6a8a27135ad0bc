// The prompt the jobs tests queue, shared by the test and its worker process. Its budget is
// charged only where the model is priced (the tests that count spend).
const ROUTE_BUDGET = { perCallUsd: null, perUserPerDayUsd: null, perFeaturePerMonthUsd: null, perPromptPerDayUsd: 1000, perPromptPerMonthUsd: null, feature: null, alertAt: 1, onExceeded: "error" };
/** The budget key its calls are charged to today. */
export const routeBudgetKey = () => `budget:prompt:t/route:day:${new Date().toISOString().slice(0, 10)}`;
/** The model's price in the tests that count spend: 1 USD per million input tokens, 2 per million output. */
export const routePrices = { "openai:gpt-a": { input: 1, output: 2 } };
export const routeMeta = {
  id: "t/route", version: 1, hash: "sha256:00000000000000cc", source: "prompts/t/route.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 50, temperature: 0, topP: null, stop: null },
  output: { format: "json", schema: { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false }, strict: true, wrapped: false },
  policies: { retry: { attempts: 1, timeoutMs: 30_000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" }, budget: ROUTE_BUDGET, cache: null },
};
