// The prompt the jobs tests queue, shared by the test and its worker process.
export const routeMeta = {
  id: "t/route", version: 1, hash: "sha256:00000000000000cc", source: "prompts/t/route.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 50, temperature: 0, topP: null, stop: null },
  output: { format: "json", schema: { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false }, strict: true, wrapped: false },
  policies: { retry: { attempts: 1, timeoutMs: 30_000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null },
};
