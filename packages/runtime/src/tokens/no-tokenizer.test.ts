// js-tiktoken is an optional peer: without it, OpenAI counts fall back to the UTF-8 upper bound
// (so no window or budget is ever passed), and a process warning names the package, once.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const notFound = () => Object.assign(new Error("Cannot find package 'js-tiktoken' imported from /app/node_modules/@promptc/runtime/dist/chunks/x.js"), { code: "ERR_MODULE_NOT_FOUND" });
const TOKENIZER = ["js-tiktoken/lite", "js-tiktoken/ranks/o200k_base"];

// Mocked for this test alone, and the module registry reset around it: test files share their
// worker's modules (vitest.config.ts), so count.js may already be loaded with the real tokenizer.
beforeEach(() => {
  for (const m of TOKENIZER) vi.doMock(m, () => { throw notFound(); });
  vi.resetModules();
});
afterEach(() => {
  for (const m of TOKENIZER) vi.doUnmock(m);
  vi.resetModules();
  vi.restoreAllMocks();
});

describe("without js-tiktoken", () => {
  it("counts by the UTF-8 bound and warns once, naming the package", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const { countOpenAI, upperBound } = await import("./count.js");
    const messages = [{ role: "user" as const, content: "héllo wörld, a few words to count" }];
    expect(await countOpenAI(messages)).toBe(upperBound(messages));
    expect(await countOpenAI(messages)).toBe(upperBound(messages));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain("npm i js-tiktoken");
    expect(warn.mock.calls[0]![1]).toMatchObject({ code: "PROMPTC_NO_TOKENIZER" });
  });
});
