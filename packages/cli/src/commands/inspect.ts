// promptc inspect <prompt-id> [--input file.json]: the IR, JSON Schemas, and rendered messages.
import { pathFrom, type Io } from "../io.js";
import { readFileSync } from "node:fs";
import { didYouMean, jsonSchemasOf, toZod, type ProjectBuilder } from "@promptc/core";
import { inMemoryPrompt } from "../eval/in-memory-prompt.js";
import { z } from "zod";
import { EXIT, printDiagnostics } from "../output.js";

export async function runInspect(io: Io, builder: ProjectBuilder, id: string, inputFile: string | undefined): Promise<number> {
  const result = builder.build({ dryRun: true });
  printDiagnostics(io, result.diagnostics);
  if (!result.ok) return EXIT.ERRORS;
  const prompt = result.prompts.find((p) => p.ir.id === id);
  if (!prompt) {
    const ids = result.prompts.map((p) => p.ir.id);
    io.stderr.write(`promptc: no prompt \`${id}\`${didYouMean(id, ids) ? `; ${didYouMean(id, ids)}` : ""}\nknown prompts: ${ids.join(", ") || "(none)"}\n`);
    return EXIT.USAGE;
  }
  const { ir } = prompt;
  const out: Record<string, unknown> = {
    id: ir.id,
    name: result.names.get(ir.id),
    version: ir.version,
    hash: ir.hash,
    source: ir.source,
    description: ir.description,
    model: ir.model,
    outputFormat: ir.outputFormat,
    policies: ir.policies,
    jsonSchema: jsonSchemasOf(ir),
    messages: ir.messages,
    partials: ir.partials,
    tests: ir.tests,
  };
  if (inputFile) {
    let input: unknown;
    try {
      input = JSON.parse(readFileSync(pathFrom(io, inputFile), "utf8"));
    } catch (e) {
      io.stderr.write(`promptc: cannot read input ${inputFile}: ${(e as Error).message.replace(pathFrom(io, inputFile), inputFile)}\n`);
      return EXIT.USAGE;
    }
    const parsed = toZod(ir.input).safeParse(input);
    if (!parsed.success) {
      io.stderr.write(`promptc: ${inputFile} does not match the input of ${ir.id}\n${z.prettifyError(parsed.error)}\n`);
      return EXIT.USAGE;
    }
    // Exactly what a call sends: the input sanitised and validated by the runtime, then rendered.
    out["rendered"] = (await inMemoryPrompt(prompt).render(input)).messages;
  }
  io.stdout.write(JSON.stringify(out, null, 2) + "\n");
  return EXIT.OK;
}
