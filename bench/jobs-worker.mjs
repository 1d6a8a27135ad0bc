// One worker process for bench/jobs.mjs: the example's route-ticket prompt, one job at a time,
// on the store JOBS_DB or JOBS_REDIS (+ JOBS_PREFIX) names, against the local server at MOCK_URL.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Runtime } from "@promptc/runtime";
import { BullMqJobStore, Jobs, SqliteJobStore, startWorker } from "@promptc/runtime/jobs";

const here = dirname(fileURLToPath(import.meta.url));
const { supportRouteTicket } = await import(pathToFileURL(join(here, "../examples/app/dist/generated/support/route-ticket.js")).href);
const { JOBS_DB, JOBS_REDIS, JOBS_PREFIX, MOCK_URL, ANTHROPIC_URL } = process.env;
const runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "bench", baseURL: MOCK_URL }, anthropic: { apiKey: "bench", baseURL: ANTHROPIC_URL } } });
const jobs = new Jobs({ store: JOBS_REDIS ? new BullMqJobStore(JOBS_REDIS, { prefix: JOBS_PREFIX }) : new SqliteJobStore(JOBS_DB) });
startWorker({ prompts: [supportRouteTicket], jobs, runtime, concurrency: 1, pollMs: 5 });
process.stdout.write("ready\n");
