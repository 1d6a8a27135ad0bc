// js: an expression over `output`, `input`, `record` and `expected`, from the project's own
// eval files. It runs in a fresh V8 context with only those values (and no `require`, `process`
// or imports); a time limit stops a runaway loop. This is the eval harness, never generated code.
import { Script, createContext } from "node:vm";
import type { AssertionIR } from "@promptc/core";
import { no, show, yes, type Check } from "./types.js";

const scripts = new Map<string, Script>();
const scriptOf = (a: AssertionIR): Script => {
  const source = a.value as string;
  let s = scripts.get(source);
  if (!s) scripts.set(source, (s = new Script(`(${source}\n)`, { filename: a.at })));
  return s;
};

export const js: Check = (a, _target, ctx) => {
  // Values cross into the context as JSON, so the expression cannot reach this process's objects.
  const sandbox = createContext({ __values: JSON.stringify({ output: ctx.output, input: ctx.input, record: ctx.record, expected: ctx.expected ?? null }) });
  new Script("const { output, input, record, expected } = JSON.parse(__values); delete globalThis.__values;").runInContext(sandbox);
  let result: unknown;
  try {
    result = scriptOf(a).runInContext(sandbox, { timeout: 1000 });
  } catch (e) {
    return no(`\`${String(a.value)}\` threw: ${(e as Error).message ?? String(e)}`);
  }
  if (typeof result === "number" && result >= 0 && result <= 1 && !Number.isInteger(result)) {
    return result >= 0.5 ? yes(`\`${String(a.value)}\` scored ${result}`, result) : no(`\`${String(a.value)}\` scored ${result} (below 0.5)`, result);
  }
  return result ? yes(`\`${String(a.value)}\` is ${show(result)}`) : no(`\`${String(a.value)}\` is ${show(result)}`);
};
