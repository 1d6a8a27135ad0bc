// The `*.eval.yaml` format: a larger suite of eval cases for one prompt, beside its file.
import { z } from "zod";
import { Assertion, TestCase } from "./prompt-file.js";

export const EvalFile = z.strictObject({
  $schema: z.string().optional(),
  prompt: z.string().min(1).describe("The id of the prompt under test, e.g. support/route-ticket"),
  description: z.string().optional(),
  assert: z.array(Assertion).optional().describe("Assertions applied to every case, before the case's own"),
  cases: z.array(TestCase).min(1),
}).describe("A promptc eval suite");

export type EvalFile = z.infer<typeof EvalFile>;
