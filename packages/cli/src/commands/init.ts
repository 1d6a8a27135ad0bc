// promptc init: a config and a first prompt, never overwriting what exists.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXIT } from "../output.js";

const CONFIG = `# yaml-language-server: $schema=./node_modules/@promptc/core/schema/config.schema.json
prompts: prompts
out: src/generated
providers:
  openai: { type: openai }
  anthropic: { type: anthropic }
tiers:
  fast: [openai:gpt-5.4-mini, anthropic:claude-haiku-4-5]
  balanced: [openai:gpt-5.4, anthropic:claude-sonnet-4-6]
defaults:
  retry: { attempts: 3, timeout: 30s }
  on_invalid_output: { reask: 1 }
`;

const PROMPT = `# yaml-language-server: $schema=../node_modules/@promptc/core/schema/prompt.schema.json
version: 1
description: Summarise a text in a few sentences.
model:
  tier: fast
  max_tokens: 300
  temperature: 0
input:
  text: string, the text to summarise
  sentences?: integer, how many sentences (default 3)
output:
  summary: string
messages:
  - system: You write short, faithful summaries.
  - user: |
      Summarise in {{#if sentences}}{{sentences}}{{else}}3{{/if}} sentences:

      {{text}}
tests:
  - name: summarises a short text
    input: { text: "promptc compiles prompt files into typed functions." }
`;

export function runInit(dir: string): number {
  const files: [string, string][] = [
    [join(dir, "promptc.config.yaml"), CONFIG],
    [join(dir, "prompts", "summarize.prompt.yaml"), PROMPT],
  ];
  const existing = files.filter(([p]) => existsSync(p)).map(([p]) => p);
  if (existing.length) {
    process.stderr.write(`promptc: not overwriting ${existing.join(", ")}\n`);
    return EXIT.USAGE;
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    process.stdout.write(`created ${path}\n`);
  }
  process.stdout.write("next: run `promptc build`, then import { summarize } from \"./src/generated/index.js\"\n");
  return EXIT.OK;
}
