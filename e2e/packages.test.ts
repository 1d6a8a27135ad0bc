// What a registry would get from each package: publint and arethetypeswrong pass, the tarball
// holds a README, LICENSE and CHANGELOG and no tests or test helpers, its source maps resolve,
// metadata a user looks for is there, and optional peers are booleans. Run on `pnpm pack`
// output, which is what `pnpm publish` (and `changeset publish`) upload.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGES, REPO, pnpmCommand } from "./registry.js";

const work = mkdtempSync(join(tmpdir(), "promptc-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pack(dir: string): { tarball: string; root: string } {
  const [cmd, ...args] = pnpmCommand();
  const out = execFileSync(cmd!, [...args, "pack", "--pack-destination", work], { cwd: join(REPO, dir), encoding: "utf8" });
  const tarball = out.trim().split("\n").at(-1)!.trim();
  const root = mkdtempSync(join(work, "x-"));
  execFileSync("tar", ["-xzf", tarball, "-C", root]);
  return { tarball, root: join(root, "package") };
}

describe.each(PACKAGES)("%s as published", (dir) => {
  const { tarball, root } = pack(dir);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, ""));

  it("passes publint", () => {
    const out = execFileSync(join(REPO, "node_modules/.bin/publint"), ["run", "--strict", "--pack", "false", root], { encoding: "utf8" });
    expect(out).toContain("All good!");
  });

  it("passes arethetypeswrong (ES modules only: CommonJS apps require() them on Node >= 20.19)", () => {
    // Exits non-zero on any problem; the CommonJS and node10 resolutions are the ones esm-only leaves out.
    execFileSync(join(REPO, "node_modules/.bin/attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], { encoding: "utf8" });
  });

  it("has what a user looks for, and no tests or test helpers", () => {
    for (const f of ["README.md", "LICENSE", "CHANGELOG.md", "package.json"]) expect(files).toContain(f);
    expect(files.filter((f) => /\.test\.|__fixtures__|(^|\/)dist\/testing\/(temp-project|cli|sample-values|template-fixtures)/.test(f))).toEqual([]);
    expect(pkg).toMatchObject({ license: "MIT", type: "module", engines: { node: ">=20.19" } });
    expect(pkg["repository"]).toMatchObject({ type: "git", directory: dir });
    expect(typeof pkg["homepage"]).toBe("string");
    expect(pkg["bugs"]).toHaveProperty("url");
    for (const meta of Object.values((pkg["peerDependenciesMeta"] ?? {}) as Record<string, { optional: unknown }>)) expect(meta.optional).toBe(true);
    // No workspace: ranges left for a registry to fail on.
    expect(JSON.stringify(pkg)).not.toContain("workspace:");
  });

  it("has source maps that resolve: every source is in the package or inlined", () => {
    const maps = files.filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(root, m), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      map.sources.forEach((s, i) => {
        const inlined = typeof map.sourcesContent?.[i] === "string";
        const shipped = files.includes(join(m, "..", s).replace(/\\/g, "/"));
        expect(inlined || shipped, `${m} → ${s}`).toBe(true);
      });
    }
  });
});

it("the three packages are versioned together (Changesets `fixed`)", () => {
  const versions = PACKAGES.map((d) => (JSON.parse(readFileSync(join(REPO, d, "package.json"), "utf8")) as { version: string }).version);
  expect(new Set(versions).size).toBe(1);
  const config = JSON.parse(readFileSync(join(REPO, ".changeset/config.json"), "utf8")) as { fixed: string[][] };
  expect(config.fixed).toEqual([["promptc", "@promptc/core", "@promptc/runtime"]]);
});

it("the JSON Schemas the docs name are exported by promptc and @promptc/core", () => {
  for (const d of ["packages/cli", "packages/core"]) {
    const exports = (JSON.parse(readFileSync(join(REPO, d, "package.json"), "utf8")) as { exports: Record<string, unknown> }).exports;
    for (const s of ["./prompt.schema.json", "./eval.schema.json", "./config.schema.json"]) expect(exports[s], `${d} ${s}`).toBe(`./schema/${s.slice(2)}`);
  }
});
