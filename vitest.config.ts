import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "bench/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Both cores: vitest leaves one free by default, which on a 2-core machine runs the files one at a time.
    maxWorkers: 2,
    // Test files share their worker's loaded modules (zod, the runtime, the compiler) instead of
    // loading them afresh per file: about a third of the suite's time. A test that needs a module
    // loaded differently says so itself (vi.doMock and vi.resetModules, as no-tokenizer.test.ts).
    isolate: false,
  },
});
