// The project build: lockfile, --check, skipped writes, orphans, partials, unreadable files.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASIC_CONFIG, tempProject, type TempProject } from "../testing/temp-project.js";
import { promptMetaOf } from "../emit/meta.js";
import { YamlSource } from "../source/yaml.js";
import { ProjectBuilder } from "./builder.js";

const PROMPT = (v: number, text = "Hello {{name}}") => `version: ${v}\nmodel: { tier: fast, max_tokens: 50 }\ninput: { name: string }\nmessages:\n  - user: "${text}"\n`;

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.remove()));

function project(files: Record<string, string>) {
  const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, ...files });
  projects.push(p);
  return { p, builder: () => new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")) };
}

describe("project build", () => {
  it("checks test cases and assertions without the position-aware parse; a case's place is still there when read", () => {
    const tests = `tests:\n  - name: one\n    input: { name: Ana }\n    expect: "Hello Ana"\n    assert:\n      - contains: Ana\n`;
    const { builder } = project({ "prompts/a.prompt.yaml": PROMPT(1) + tests, "prompts/b.prompt.yaml": PROMPT(1, "Hi {{name}}") + tests });
    const before = YamlSource.positionParses;
    const r = builder().build();
    expect(r.ok).toBe(true);
    expect(YamlSource.positionParses - before).toBe(0);
    const [t] = r.prompts.find((p) => p.ir.id === "a")!.ir.tests;
    expect(t!.at).toMatch(/\/prompts\/a\.prompt\.yaml:7:5$/);
    expect(t!.assert[0]!.at).toMatch(/\/prompts\/a\.prompt\.yaml:11:9$/);
    expect(JSON.parse(JSON.stringify(t)).at).toBe(t!.at);
    expect(YamlSource.positionParses - before).toBe(1); // read, for one file
  });

  it("one builder (watch mode) sees versions freeze when the lockfile is committed, and thaw when a new repository has none", () => {
    const { p, builder: make } = project({ "prompts/a.prompt.yaml": PROMPT(1) });
    const builder = make();
    expect(builder.build().ok).toBe(true); // no repository: a draft
    p.write("prompts/a.prompt.yaml", PROMPT(1, "Hi {{name}}"));
    expect(builder.build().ok).toBe(true); // still a draft: edits need no bump
    p.commit(); // a repository, and the lockfile committed in it
    p.write("prompts/a.prompt.yaml", PROMPT(1, "Hey {{name}}"));
    expect(builder.build().diagnostics.map((d) => d.code)).toEqual(["PC1301"]);
    p.write("prompts/a.prompt.yaml", PROMPT(2, "Hey {{name}}"));
    expect(builder.build().ok).toBe(true);
    p.commit("v2");
    p.write("prompts/a.prompt.yaml", PROMPT(2, "Yo {{name}}"));
    expect(builder.build().diagnostics.map((d) => d.code)).toEqual(["PC1301"]); // v2 is frozen now
    rmSync(join(p.dir, ".git"), { recursive: true, force: true });
    expect(builder.build().ok).toBe(true); // no repository any more: a draft again
  });

  it("records versions in the lockfile and accepts a bump", () => {
    const { p, builder } = project({ "prompts/a.prompt.yaml": PROMPT(1) });
    expect(builder().build().ok).toBe(true);
    const lock1 = JSON.parse(readFileSync(join(p.dir, "promptc.lock.json"), "utf8"));
    expect(lock1.prompts.a.version).toBe(1);
    p.write("prompts/a.prompt.yaml", PROMPT(2, "Hi {{name}}"));
    const r = builder().build();
    expect(r.ok).toBe(true);
    const lock2 = JSON.parse(readFileSync(join(p.dir, "promptc.lock.json"), "utf8"));
    expect(lock2.prompts.a).toEqual({ version: 2, hash: r.prompts[0]!.ir.hash, name: "a" });
    expect(lock2.prompts.a.hash).not.toBe(lock1.prompts.a.hash);
  });

  it("stamps id, version, hash and source into the module", () => {
    const { p, builder } = project({ "prompts/greet/hello.prompt.yaml": PROMPT(4) });
    const r = builder().build();
    const text = readFileSync(join(p.dir, "out/greet/hello.ts"), "utf8");
    for (const s of ['id: "greet/hello"', "version: 4", `hash: "${r.prompts[0]!.ir.hash}"`, 'source: "prompts/greet/hello.prompt.yaml"']) expect(text).toContain(s);
  });

  it("--check writes nothing and reports stale output and lockfile", () => {
    const { p, builder } = project({ "prompts/a.prompt.yaml": PROMPT(1) });
    const fresh = builder().build({ check: true });
    expect(fresh.ok).toBe(false);
    expect(new Set(fresh.diagnostics.map((d) => d.code))).toEqual(new Set(["PC1601", "PC1602"]));
    expect(existsSync(join(p.dir, "out"))).toBe(false);
    expect(existsSync(join(p.dir, "promptc.lock.json"))).toBe(false);
    expect(builder().build().ok).toBe(true);
    expect(builder().build({ check: true }).ok).toBe(true);
    p.write("out/a.ts", "// edited by hand\n");
    const edited = builder().build({ check: true });
    expect(edited.diagnostics.map((d) => d.code)).toEqual(["PC1601"]);
  });

  it("is deterministic and does not rewrite unchanged files", () => {
    const { p, builder } = project({ "prompts/a.prompt.yaml": PROMPT(1), "prompts/b.prompt.yaml": PROMPT(1, "Bye {{name}}") });
    builder().build();
    const before = readFileSync(join(p.dir, "out/a.ts"), "utf8");
    // An mtime in the past: a rewrite, however soon, would move it.
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(p.dir, "out/a.ts"), past, past);
    const mtime = statSync(join(p.dir, "out/a.ts")).mtimeMs;
    p.write("prompts/b.prompt.yaml", PROMPT(2, "Farewell {{name}}"));
    const r = builder().build();
    expect(r.changed.sort()).toEqual(["out/b.ts"]);
    expect(readFileSync(join(p.dir, "out/a.ts"), "utf8")).toBe(before);
    expect(statSync(join(p.dir, "out/a.ts")).mtimeMs).toBe(mtime);
  });

  it("removes the module of a deleted prompt and drops it from the lockfile", () => {
    const { p, builder } = project({ "prompts/a.prompt.yaml": PROMPT(1), "prompts/b.prompt.yaml": PROMPT(1) });
    builder().build();
    rmSync(join(p.dir, "prompts/b.prompt.yaml"));
    const r = builder().build();
    expect(r.ok).toBe(true);
    expect(existsSync(join(p.dir, "out/b.ts"))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(p.dir, "promptc.lock.json"), "utf8")).prompts)).toEqual(["a"]);
  });

  it("rewrites only the modules of prompts that use a changed partial", () => {
    const { p, builder } = project({
      "prompts/a.prompt.yaml": PROMPT(1, "{{name}} {{> sig}}"),
      "prompts/b.prompt.yaml": PROMPT(1),
      "prompts/partials/sig.hbs": "-- team",
    });
    const b = builder();
    expect(b.build().ok).toBe(true);
    p.write("prompts/partials/sig.hbs", "-- the team");
    p.write("prompts/a.prompt.yaml", PROMPT(2, "{{name}} {{> sig}}"));
    b.invalidate([join(p.dir, "prompts/partials/sig.hbs")]);
    const r = b.build();
    expect(r.ok).toBe(true);
    expect(r.changed).toEqual(["out/a.ts"]);
    expect(readFileSync(join(p.dir, "out/a.ts"), "utf8")).toContain("-- the team");
  });

  it("a partial edit without a version bump is refused for the prompts using it", () => {
    const { p, builder } = project({ "prompts/a.prompt.yaml": PROMPT(1, "{{name}} {{> sig}}"), "prompts/partials/sig.hbs": "-- team" });
    expect(builder().build().ok).toBe(true);
    p.commit();
    p.write("prompts/partials/sig.hbs", "-- the team");
    expect(builder().build().diagnostics.map((d) => d.code)).toEqual(["PC1301"]);
  });

  it("follows symlinked prompt files, and reports a dangling one instead of crashing", () => {
    const { p, builder } = project({ "shared/b.prompt.yaml": PROMPT(1), "prompts/a.prompt.yaml": PROMPT(1) });
    symlinkSync(join(p.dir, "shared/b.prompt.yaml"), join(p.dir, "prompts/b.prompt.yaml"));
    const linked = builder().build();
    expect(linked.ok).toBe(true);
    expect(linked.prompts.map((x) => x.ir.id)).toEqual(["a", "b"]);
    symlinkSync(join(p.dir, "shared/missing.prompt.yaml"), join(p.dir, "prompts/gone.prompt.yaml"));
    const dangling = builder().build();
    expect(dangling.diagnostics.map((d) => [d.code, d.message])).toEqual([["PC1005", "cannot read " + relative(process.cwd(), join(p.dir, "prompts/gone.prompt.yaml")) + ": ENOENT"]]);
  });
});

describe("versions in git", () => {
  const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });

  it("an uncommitted version can be edited freely; a committed one is frozen", () => {
    const { p, builder } = project({ "prompts/a.prompt.yaml": PROMPT(1) });
    const dir = join(p.dir, "..", `git-${Date.now()}`);
    cpSync(p.dir, dir, { recursive: true });
    projects.push({ dir, write: () => {}, commit: () => {}, remove: () => rmSync(dir, { recursive: true, force: true }) });
    const b = () => new ProjectBuilder(dir, join(dir, "promptc.config.yaml"));
    git(dir, "init", "-q");
    expect(b().build().ok).toBe(true);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "v1");
    const write = (text: string) => writeFileSync(join(dir, "prompts/a.prompt.yaml"), text);

    write(PROMPT(2, "Hi {{name}}"));
    expect(b().build().ok).toBe(true);
    write(PROMPT(2, "Hi there {{name}}"));
    expect(b().build().ok).toBe(true);

    write(PROMPT(1, "Hi again {{name}}"));
    expect(b().build().diagnostics.map((d) => d.code)).toEqual(["PC1301"]);

    write(PROMPT(2, "Hi there {{name}}"));
    expect(b().build().ok).toBe(true);
    git(dir, "commit", "-qam", "v2");
    write(PROMPT(2, "Hello there {{name}}"));
    expect(b().build().diagnostics.map((d) => d.code)).toEqual(["PC1301"]);
    void builder;
  });
});

describe("export names never move", () => {
  it("records each prompt's export name in the lockfile", () => {
    const { p, builder } = project({ "prompts/reviews/classify.prompt.yaml": PROMPT(1) });
    expect(builder().build().ok).toBe(true);
    expect(JSON.parse(readFileSync(join(p.dir, "promptc.lock.json"), "utf8")).prompts["reviews/classify"]).toMatchObject({ name: "reviewsClassify" });
  });

  it("a new prompt whose derived name is taken is an error naming both files; the existing export still calls its prompt", () => {
    const { p, builder } = project({ "prompts/reviews/classify.prompt.yaml": PROMPT(1) });
    expect(builder().build().ok).toBe(true);
    const before = readFileSync(join(p.dir, "out/index.ts"), "utf8");
    // Sorted ids put the new one first ("reviews-classify" < "reviews/classify"): it must still lose.
    p.write("prompts/reviews-classify.prompt.yaml", `# yaml-language-server: $schema=x\n\n${PROMPT(1)}`);
    const r = builder().build();
    expect(r.ok).toBe(false);
    const [d] = r.diagnostics;
    expect(d?.code).toBe("PC1304");
    expect(d?.severity).toBe("error");
    expect(d?.message).toContain("`reviews-classify` would export `reviewsClassify`, which");
    expect(d?.message).toContain("prompts/reviews/classify.prompt.yaml already exports");
    expect(d?.help).toContain("prompts/reviews-classify.prompt.yaml");
    // At the first key of the new file, not its line-1 comment.
    expect(d?.span?.file).toMatch(/prompts\/reviews-classify\.prompt\.yaml$/);
    expect(d?.span?.text.slice(0, d.span.start).split("\n").length).toBe(3);
    expect(readFileSync(join(p.dir, "out/index.ts"), "utf8")).toBe(before);

    // Choosing a name settles it; the old prompt keeps its export.
    p.write("prompts/reviews-classify.prompt.yaml", `name: classifyReviewsFlat\n${PROMPT(1)}`);
    const fixed = builder().build();
    expect(fixed.ok).toBe(true);
    const index = readFileSync(join(p.dir, "out/index.ts"), "utf8");
    expect(index).toMatch(/export \{ reviewsClassify, .*\} from "\.\/reviews\/classify\.js"/);
    expect(index).toMatch(/export \{ classifyReviewsFlat, .*\} from "\.\/reviews-classify\.js"/);
  });

  it("a name recorded in the lockfile is kept, even by a lockfile written before names were recorded", () => {
    const { p, builder } = project({ "prompts/reviews/classify.prompt.yaml": PROMPT(1) });
    expect(builder().build().ok).toBe(true);
    const lockPath = join(p.dir, "promptc.lock.json");
    const lock = JSON.parse(readFileSync(lockPath, "utf8"));
    delete lock.prompts["reviews/classify"].name;
    writeFileSync(lockPath, JSON.stringify(lock));
    p.write("prompts/reviews-classify.prompt.yaml", PROMPT(1));
    expect(builder().build().diagnostics.map((d) => d.code)).toEqual(["PC1304"]);
  });
});

describe("drafts: no version is frozen before it is committed", () => {
  it("outside git, a prompt edited without a bump builds, and the result says it is a draft", () => {
    const dir = mkdtempSync(join(tmpdir(), "promptc-draft-"));
    projects.push({ dir, write: () => {}, commit: () => {}, remove: () => rmSync(dir, { recursive: true, force: true }) });
    writeFileSync(join(dir, "promptc.config.yaml"), "prompts: prompts\nout: out\ntiers:\n  fast: [openai:gpt-4.1-mini]\n");
    mkdirSync(join(dir, "prompts"));
    writeFileSync(join(dir, "prompts/a.prompt.yaml"), PROMPT(1));
    const b = () => new ProjectBuilder(dir, join(dir, "promptc.config.yaml"));
    expect(b().build().drafts).toBeUndefined();
    writeFileSync(join(dir, "prompts/a.prompt.yaml"), PROMPT(1, "Hi {{name}}"));
    const r = b().build();
    expect(r.ok).toBe(true);
    expect(r.drafts).toEqual({ reason: "no-git", ids: ["a"] });
  });

  it("in git, before the lockfile is committed, and before a new prompt's entry is committed", () => {
    const { p, builder } = project({ "prompts/a.prompt.yaml": PROMPT(1) });
    p.commit("prompts, no lockfile yet");
    expect(builder().build().ok).toBe(true);
    p.write("prompts/a.prompt.yaml", PROMPT(1, "Hi {{name}}"));
    expect(builder().build()).toMatchObject({ ok: true, drafts: { reason: "lockfile-not-committed", ids: ["a"] } });

    p.commit("lockfile");
    p.write("prompts/b.prompt.yaml", PROMPT(1));
    expect(builder().build().ok).toBe(true);
    p.write("prompts/b.prompt.yaml", PROMPT(1, "Bye {{name}}"));
    expect(builder().build()).toMatchObject({ ok: true, drafts: { reason: "entry-not-committed", ids: ["b"] } });
    p.write("prompts/a.prompt.yaml", PROMPT(1, "Hello again {{name}}"));
    expect(builder().build().diagnostics.map((d) => d.code)).toEqual(["PC1301"]);
  });
});

describe("out_extension", () => {
  it(".mts writes ES modules whose imports end in .mjs, and switching removes the .ts ones", () => {
    const { p, builder } = project({ "prompts/greet/hello.prompt.yaml": PROMPT(1) });
    expect(builder().build().ok).toBe(true);
    expect(existsSync(join(p.dir, "out/index.ts"))).toBe(true);
    p.write("promptc.config.yaml", BASIC_CONFIG + "out_extension: .mts\n");
    const r = builder().build();
    expect(r.ok).toBe(true);
    expect(readFileSync(join(p.dir, "out/index.mts"), "utf8")).toContain('from "./greet/hello.mjs";');
    expect(readFileSync(join(p.dir, "out/greet/hello.mts"), "utf8")).toContain('import("./hello.schemas.mjs")');
    expect(existsSync(join(p.dir, "out/greet/hello.schemas.mts"))).toBe(true);
    expect(["out/index.ts", "out/greet/hello.ts", "out/greet/hello.schemas.ts"].filter((f) => existsSync(join(p.dir, f)))).toEqual([]);
  });
});

describe("a prompt's job: section", () => {
  it("is stamped into meta.policies.job only when declared, with its defaults, and is part of the hash", () => {
    const plain = "version: 1\nmodel: { tier: fast, max_tokens: 10 }\nmessages:\n  - user: hi\n";
    const p = tempProject({ "promptc.config.yaml": BASIC_CONFIG, "prompts/a.prompt.yaml": plain, "prompts/b.prompt.yaml": plain + "job: { max_age: 2h }\n", "prompts/c.prompt.yaml": plain + "job: { on_outage: fallback }\n" });
    try {
      const r = new ProjectBuilder(p.dir, join(p.dir, "promptc.config.yaml")).build({ dryRun: true });
      expect(r.ok).toBe(true);
      const meta = (id: string) => promptMetaOf(r.prompts.find((x) => x.ir.id === id)!.ir);
      expect("job" in meta("a").policies).toBe(false);
      expect(meta("b").policies.job).toEqual({ maxAgeMs: 7_200_000, onOutage: "wait" });
      expect(meta("c").policies.job).toEqual({ maxAgeMs: 86_400_000, onOutage: "fallback" });
      const hashes = new Set(["a", "b", "c"].map((id) => meta(id).hash));
      expect(hashes.size).toBe(3);
    } finally {
      p.remove();
    }
  });
});
