// A separate process spending against a shared store (the built runtime), for processes.test.ts.
//   STORE=sqlite|redis STORE_URL=… MOCK_URL=… CALLS=n MODE=concurrent|serial node spend-worker.mjs
import { z } from "zod";
import { definePrompt, Runtime } from "../../../dist/index.js";
import { RedisStore, SqliteStore } from "../../../dist/store/index.js";

const { STORE, STORE_URL, MOCK_URL, CALLS, MODE, LIMIT_USD, PREFIX } = process.env;
const store = STORE === "redis" ? await RedisStore.connect(STORE_URL, { prefix: PREFIX }) : new SqliteStore(STORE_URL);
const meta = {
  id: "t/spend", version: 1, hash: "sha256:00000000000000bb", source: "prompts/t/spend.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 100, temperature: 0, topP: null, stop: null },
  output: { format: "json", schema: { type: "object", properties: { queue: { type: "string" } }, required: ["queue"], additionalProperties: false }, strict: true, wrapped: false },
  policies: {
    retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" },
    budget: { perCallUsd: null, perUserPerDayUsd: null, perFeaturePerMonthUsd: null, perPromptPerDayUsd: Number(LIMIT_USD), perPromptPerMonthUsd: null, feature: null, alertAt: 0.8, onExceeded: "error" },
    cache: null,
  },
};
const fn = definePrompt(meta, { InputSchema: z.object({ t: z.string() }), OutputSchema: z.object({ queue: z.string() }) }, (i) => [{ role: "user", content: i.t }]);
const runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: MOCK_URL } }, prices: { "openai:gpt-a": { input: 0, output: 10 } }, store });
const n = Number(CALLS);
if (MODE === "serial") {
  let settled = 0;
  for (let i = 0; i < n; i++) {
    const { record } = await fn.withRecord({ t: `c${i}` }, { runtime });
    settled += Math.round(record.costUsd * 1e9);
    process.stdout.write(`settled ${settled}\n`);
  }
} else {
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => fn.withRecord({ t: `c${i}` }, { runtime })));
  const served = results.filter((r) => r.status === "fulfilled");
  const codes = [...new Set(results.filter((r) => r.status === "rejected").map((r) => r.reason.code))];
  const spent = served.reduce((s, r) => s + r.value.record.costUsd, 0);
  process.stdout.write(JSON.stringify({ served: served.length, refused: n - served.length, codes, spent }) + "\n");
}
await store.close();
