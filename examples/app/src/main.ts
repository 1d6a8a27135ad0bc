// The example app: calls the functions promptc generated from ../../prompts.
import { PromptError } from "@promptc/runtime";
import { knowledgeAnswerQuestion, supportRouteTicket, type SupportRouteTicketOutput } from "./generated/index.js";

// render(): validated input → the exact request a model would receive. No network.
const request = supportRouteTicket.render({
  ticket: "I was charged twice this month",
  customer_tier: "pro",
  history: ["Hello?", "Still waiting on this"],
});
console.log(`${request.prompt.id}@${request.prompt.version} (${request.prompt.hash})`);
console.log(`models, in order: ${request.models.map((m) => `${m.provider}:${m.model}`).join(" → ")}; max_tokens ${request.maxTokens}`);
for (const m of request.messages) console.log(`--- ${m.role}\n${m.content}`);

const qa = knowledgeAnswerQuestion.render({
  question: "How long is the warranty?",
  passages: [{ id: "p1", title: "Warranty", text: "All devices carry a two-year warranty." }],
});
console.log(`--- ${qa.prompt.id} sends a ${qa.output.format} schema with ${Object.keys((qa.output.schema?.["properties"] as object) ?? {}).length} fields`);

// Invalid input is a typed error before anything is sent.
try {
  supportRouteTicket.render({ ticket: "hi", customer_tier: "gold" as "pro" });
} catch (e) {
  if (e instanceof PromptError) console.log(`--- rejected input: ${e.code}`);
}

// Calling a model: this runtime version has no provider adapters yet, and says so with a typed error.
try {
  const routed: SupportRouteTicketOutput = await supportRouteTicket({ ticket: "The app crashes", customer_tier: "free" });
  console.log(routed.queue);
} catch (e) {
  if (!(e instanceof PromptError)) throw e;
  console.log(`--- calling the model: ${e.code}: ${e.message}`);
}
