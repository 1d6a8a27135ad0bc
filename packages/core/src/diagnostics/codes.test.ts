// Every diagnostic code is documented in docs/cli.md's table, and the table names no code that does not exist.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES, STALE_CODES, VERSION_CODES } from "./codes.js";

const documented = [...readFileSync(new URL("../../../../docs/cli.md", import.meta.url), "utf8").matchAll(/^\| (PC\d{4}) \|/gm)].map((m) => m[1]);

describe("diagnostic codes", () => {
  it("docs/cli.md documents each code once, in order", () => {
    expect(documented).toEqual(Object.keys(DIAGNOSTIC_CODES));
  });

  it("the groups name codes that exist", () => {
    for (const code of [...VERSION_CODES, ...STALE_CODES]) expect(Object.keys(DIAGNOSTIC_CODES)).toContain(code);
  });
});
