// The message that asks again after an invalid reply: what was wrong, and the format, from the schema.
import type { Message, PromptMeta } from "../contract/prompt.js";

export function reaskMessages(previous: string, problem: string, meta: PromptMeta): Message[] {
  const format = meta.output.format === "json"
    ? `Reply again with only a JSON value that matches this JSON Schema, and nothing else:\n${JSON.stringify(meta.output.schema)}`
    : "Reply again with only the answer.";
  return [
    { role: "assistant", content: previous },
    { role: "user", content: `Your reply did not match the required format:\n${problem}\n\n${format}` },
  ];
}
