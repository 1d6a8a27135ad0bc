// promptc jobs over a store the real runtime wrote: list, show, retry, cancel, and bad usage.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { definePrompt, Runtime, type PromptMeta } from "@promptc/runtime";
import { BullMqJobStore, Jobs, SqliteJobStore, startWorker, type JobStore } from "@promptc/runtime/jobs";
import { sharedRedis, startMockServer, type RedisServer } from "@promptc/runtime/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { run as runCli } from "../testing/cli.js";

const dir = mkdtempSync(join(tmpdir(), "promptc-jobs-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta: PromptMeta = {
  id: "support/route", version: 2, hash: "sha256:00000000000000dd", source: "prompts/support/route.prompt.yaml", description: null,
  model: { tier: "fast", chain: ["openai:gpt-a"], providers: { openai: { type: "openai" } }, maxTokens: 50, temperature: null, topP: null, stop: null },
  output: { format: "json", schema: { type: "object", properties: { queue: { enum: ["billing", "technical"] } }, required: ["queue"], additionalProperties: false }, strict: true, wrapped: false },
  policies: { retry: { attempts: 1, timeoutMs: 5000, deadlineMs: null, backoff: { initialMs: 1, maxMs: 1, multiplier: 2 } }, reask: 0, fallback: { kind: "error" }, budget: null, cache: null, job: { maxAgeMs: 0, onOutage: "fallback" } },
};
const fn = definePrompt(meta, { InputSchema: z.object({ t: z.string() }), OutputSchema: z.object({ queue: z.enum(["billing", "technical"]) }) }, (i) => [{ role: "user", content: i.t }]);

// CI starts Redis (.ci/run); the BullMQ store gets a database of its own, emptied first.
let redis: RedisServer | undefined;
beforeAll(async () => void (redis = await sharedRedis()));
afterAll(() => redis?.kill());
const redisUrl = () => `${redis!.url}/7`;

const stores: { name: string; open(): Promise<JobStore>; flags(): string[] }[] = [
  { name: "sqlite, found in .promptc/ where it runs", open: async () => new SqliteJobStore(join(dir, ".promptc", "jobs.sqlite")), flags: () => [] },
  {
    name: "bullmq, named by --redis",
    open: async () => {
      const client = new Redis(redisUrl());
      await client.flushdb();
      client.disconnect();
      return new BullMqJobStore(redisUrl(), { stalledCheckMs: 100 });
    },
    flags: () => ["--redis", redisUrl()],
  },
];

describe.each(stores)("promptc jobs ($name)", ({ open, flags }) => {
  it("lists, shows, queues a failed job again and cancels a queued one", async () => {
    const server = await startMockServer({ handler: (r) => ((r.body["messages"] as { content: string }[])[0]!.content === "fails" ? { status: 400 } : { json: { queue: "billing" } }) });
    const jobs = new Jobs({ store: await open() });
    const run = (cwd: string, args: string[]) => runCli(cwd, [...args, ...flags()]);
    const runtime = new Runtime({ env: {}, providers: { openai: { apiKey: "k", baseURL: server.openaiBaseURL } } });
    const ok = (await jobs.enqueue(fn, { t: "works" }, { jobId: "job-ok" })).id;
    const bad = (await jobs.enqueue(fn, { t: "fails" }, { jobId: "job-bad" })).id;
    const worker = startWorker({ prompts: [fn], jobs, runtime, pollMs: 10, concurrency: 1 });
    await jobs.wait(ok);
    await jobs.wait(bad);
    await worker.stop();
    await jobs.enqueue(fn, { t: "later" }, { jobId: "job-queued", delayMs: 3_600_000 });

    const list = await run(dir, ["jobs"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^id\s+prompt\s+status\s+attempts\s+updated\s+error$/m);
    expect(list.stdout).toMatch(/^job-bad\s+support\/route v2\s+failed\s+1\s+\S+\s+E_ALL_MODELS_FAILED$/m);
    expect(list.stdout).toMatch(/^job-ok\s+support\/route v2\s+succeeded\s+1/m);
    const failed = JSON.parse((await run(dir, ["jobs", "list", "--status", "failed", "--json"])).stdout);
    expect(failed.jobs.map((j: { id: string }) => j.id)).toEqual(["job-bad"]);

    const shown = await run(dir, ["jobs", "show", "job-ok"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: "job-ok", status: "succeeded", output: { queue: "billing" }, callIds: [expect.any(String)] });

    expect(await run(dir, ["jobs", "retry", "job-bad"])).toMatchObject({ code: 0, stdout: "promptc jobs: queued again: job-bad (support/route v2)\n" });
    expect(await jobs.get(bad)).toMatchObject({ status: "queued", attempts: 0 });
    expect(await run(dir, ["jobs", "retry", "job-ok"])).toMatchObject({ code: 1, stderr: expect.stringContaining("job `job-ok` is succeeded: only a failed or cancelled job can be queued again") });
    expect(await run(dir, ["jobs", "cancel", "job-queued"])).toMatchObject({ code: 0, stdout: expect.stringContaining("cancelled: job-queued") });
    expect(await run(dir, ["jobs", "cancel", "job-queued"])).toMatchObject({ code: 1, stderr: expect.stringContaining("it has ended already") });
    await jobs.store.close();
    await server.close();
  });
});

describe("promptc jobs: bad usage", () => {
  const run = runCli;
  it("says what is wrong with bad usage", async () => {
    expect(await run(dir, ["jobs", "show"])).toMatchObject({ code: 2, stderr: expect.stringContaining("show needs a job id") });
    expect(await run(dir, ["jobs", "purge"])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown action `purge`") });
    expect(await run(dir, ["jobs", "--status", "done"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--status is one of queued, running, succeeded, failed, cancelled") });
    expect(await run(tmpdir(), ["jobs", "--db", "nowhere.sqlite"])).toMatchObject({ code: 2, stderr: expect.stringContaining("no job store at") });
    expect(await run(dir, ["jobs", "show", "nope"])).toMatchObject({ code: 1, stderr: expect.stringContaining("no job `nope`") });
    expect(await run(dir, ["jobs", "--db", "a.sqlite", "--redis", "redis://127.0.0.1:1"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--db and --redis name two stores") });
    expect(await run(dir, ["jobs", "--redis", "127.0.0.1:6379"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--redis takes a redis:// URL") });
  });
});
