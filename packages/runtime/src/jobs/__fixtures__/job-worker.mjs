// A worker in a process of its own (the built runtime), for jobs.test.ts: killed mid-job, it must
// leave the job to another worker.   JOBS_DB=… | JOBS_REDIS=… JOBS_PREFIX=…, MOCK_URL=… LEASE_MS=n node job-worker.mjs
import { z } from "zod";
import { definePrompt, Runtime } from "../../../dist/index.js";
import { BullMqJobStore, Jobs, SqliteJobStore, startWorker } from "../../../dist/jobs/index.js";
import { SqliteStore, RedisStore } from "../../../dist/store/index.js";
import { routeMeta, routePrices } from "./route-meta.mjs";

const { JOBS_DB, JOBS_REDIS, JOBS_PREFIX, BUDGET_DB, BUDGET_REDIS, BUDGET_PREFIX, OUTAGE_RETRY_MS = "1000", BREAKER_COOLDOWN_MS, MOCK_URL, LEASE_MS, CONCURRENCY = "1", WORKER_ID = "doomed" } = process.env;
const fn = definePrompt(routeMeta, { InputSchema: z.object({ t: z.string() }), OutputSchema: z.object({ queue: z.enum(["billing", "technical"]) }) }, (i) => [{ role: "user", content: i.t }]);
// BUDGET_DB or BUDGET_REDIS: budgets in a store the test reads too, at the tests' prices.
const budgets = BUDGET_DB ? { store: new SqliteStore(BUDGET_DB), prices: routePrices } : BUDGET_REDIS ? { store: await RedisStore.connect(BUDGET_REDIS, { prefix: BUDGET_PREFIX }), prices: routePrices } : {};
// BREAKER_COOLDOWN_MS: how soon an open breaker lets a probe through (the default is long for a test).
const breakers = BREAKER_COOLDOWN_MS ? { breakers: { cooldownMs: Number(BREAKER_COOLDOWN_MS) } } : {};
const runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: MOCK_URL } }, ...budgets, ...breakers });
const store = JOBS_REDIS ? new BullMqJobStore(JOBS_REDIS, { prefix: JOBS_PREFIX, stalledCheckMs: 100 }) : new SqliteJobStore(JOBS_DB);
const jobs = new Jobs({ store });
startWorker({ prompts: [fn], jobs, runtime, leaseMs: Number(LEASE_MS), pollMs: 10, outageRetryMs: Number(OUTAGE_RETRY_MS), concurrency: Number(CONCURRENCY), id: WORKER_ID });
process.stdout.write("ready\n");
