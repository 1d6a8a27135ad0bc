// The example app: calls the functions promptc generated from ../../prompts.
import { PromptError } from "@promptc/runtime";
import { knowledgeAnswerQuestion, knowledgeSummarize, supportDraftReply, supportRefundDecision, supportRouteTicket, type SupportRouteTicketOutput } from "./generated/index.js";
import { getJobs, startWorker } from "@promptc/runtime/jobs";
import { getReviews } from "@promptc/runtime/reviews";
import { startLocalServer } from "./local-server.js";

const live = !!(process.env["OPENAI_API_KEY"] || process.env["ANTHROPIC_API_KEY"]);
const server = live ? undefined : await startLocalServer();
console.log(live
  ? "Using your API key(s): these calls go to the real providers."
  : `No OPENAI_API_KEY or ANTHROPIC_API_KEY set: running against promptc's bundled local server at ${server!.url} (a stand-in model answers from a few rules; nothing leaves this machine; costs shown are what its token counts would cost at the real models' prices).`);

const ticket = { ticket: "I was charged twice this month", customer_tier: "pro" as const, history: ["Hello?", "Still waiting on this"] };

// 1. render(): the exact request, without calling anything.
const request = await supportRouteTicket.render(ticket);
console.log(`\n${request.prompt.id}@${request.prompt.version} (${request.prompt.hash}) would try ${request.models.map((m) => `${m.provider}:${m.model}`).join(" → ")}`);

// 2. A typed call, and the record of it.
const routed: SupportRouteTicketOutput = await supportRouteTicket(ticket);
console.log(`routed to ${routed.queue} (confidence ${routed.confidence}): ${routed.summary}`);
const { record } = await supportRouteTicket.withRecord(ticket);
console.log(`record: ${record.answeredModel} via ${record.provider}, ${record.attempts.length} attempt(s), ${record.inputTokens}+${record.outputTokens} tokens, $${record.costUsd.toFixed(6)}, ${record.latencyMs} ms`);

// The summarize prompt declares `cache: { ttl: 1h }`: the same input again is answered from the cache, at no cost.
const doc = { document: "Q3 revenue rose 12% while costs fell 3%.", audience: "executive" as const };
const first = await knowledgeSummarize.withRecord(doc);
const again = await knowledgeSummarize.withRecord(doc);
console.log(`summary "${again.output.headline}": first call $${first.record.costUsd.toFixed(6)}, again from the ${again.record.cache} cache $${again.record.costUsd.toFixed(6)} in ${again.record.latencyMs} ms`);

const qa = await knowledgeAnswerQuestion({ question: "How long is the warranty?", passages: [{ id: "p1", title: "Warranty", text: "All devices carry a two-year warranty." }] });
console.log(`answerable: ${qa.answerable}`);

// A long call does not belong in a request handler: queue it as a job, get its id at once, and
// let a worker run it (here in this process; in production, often in another, sharing the
// SQLite file under .promptc/). The job outlives the request, and a worker that dies.
const worker = startWorker({ prompts: [knowledgeSummarize], concurrency: 2 });
const long = { document: "Annual report, 40 pages: revenue rose 12%, costs fell 3%, two new markets opened, and churn halved.", audience: "executive" as const };
const { id } = await knowledgeSummarize.enqueue(long, { jobId: `report-${Date.now()}` });
const job = await getJobs().wait(id, { timeoutMs: 30_000 });
console.log(`job ${job.status} after ${job.attempts} attempt(s): "${job.output?.headline}"`);
await worker.stop();

// A refund is money out of the door: refund-decision.prompt.yaml declares `review:`, so an unsure
// or large decision waits for a person. The call's type makes the app handle that: the output is
// only there when the status is "approved".
for (const request of [{ ticket: "I was charged twice for order 1001", order_total_usd: 40 }, { ticket: "The parcel came late, can I get something back?", order_total_usd: 240 }]) {
  const outcome = await supportRefundDecision(request);
  if (outcome.status === "approved") {
    console.log(`refund decided at once: ${outcome.output.decision} $${outcome.output.amount_usd}`);
    continue;
  }
  const held = await getReviews().get(outcome.reviewId);
  console.log(`refund held for review (${held?.when}): ${held?.output.decision} $${held?.output.amount_usd}, review ${outcome.reviewId}`);
  console.log("  a person decides on the page `npx promptc review` serves; this demo decides for them:");
  await getReviews().decide(outcome.reviewId, { edit: { ...held!.output, amount_usd: 30 } }, "demo reviewer");
  const decided = await getReviews().outcome(outcome.reviewId);
  if (decided.status === "approved") console.log(`  approved as edited: ${decided.output.decision} $${decided.output.amount_usd}`);
}

// 3. A streamed call: the reply as it arrives, then the validated output.
process.stdout.write("\nstreaming a reply: ");
const reply = supportDraftReply.stream({ customer_name: "Ana", ticket: "Where is my order?", agent_name: "Sam", facts: ["shipped Monday"] });
for await (const event of reply) if (event.type === "text") process.stdout.write(event.delta);
console.log(`\n(first chunk after ${(await reply.record).timeToFirstChunkMs} ms)`);

// 4. Invalid input is a typed error before anything is sent.
try {
  await supportRouteTicket({ ticket: "hi", customer_tier: "gold" as "pro" });
} catch (e) {
  if (e instanceof PromptError) console.log(`\nrejected input: ${e.code}`);
}

// 5. Degrading gracefully (local server only: it can inject outages).
if (server) {
  console.log("\nInjecting an OpenAI outage (every OpenAI request answers 503)…");
  server.setHandler((r) => (r.protocol === "openai" ? { status: 503 } : { json: { queue: "technical", confidence: 0.7, summary: "Answered by the fallback model." } }));
  const failover = await supportRouteTicket.withRecord(ticket);
  console.log(`failover: answered by ${failover.record.provider}:${failover.record.answeredModel} after ${failover.record.attempts.filter((a) => a.outcome !== "ok").length} failed attempts → ${failover.output.queue}`);

  console.log("Injecting a full outage (OpenAI 503, Anthropic 529)…");
  server.setHandler((r) => ({ status: r.protocol === "openai" ? 503 : 529 }));
  const degraded = await supportRouteTicket.withRecord(ticket);
  console.log(`degraded: the prompt's declared fallback value ${JSON.stringify(degraded.output)} (record: fallback=${degraded.record.fallback}, ${degraded.record.errorCode})`);

  try {
    await knowledgeAnswerQuestion({ question: "?", passages: [] });
  } catch (e) {
    if (e instanceof PromptError) console.log(`no fallback declared: ${e.code} after ${e.attempts.length} attempts`);
  }
  await server.close();
}
