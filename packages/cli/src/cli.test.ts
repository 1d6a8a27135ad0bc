// The promptc command, run as a user runs it, over the repo's example prompts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitProject, run, scratchProject, spawnPromptc } from "./testing/cli.js";

const scratch: { remove(): void }[] = [];
afterAll(() => scratch.forEach((s) => s.remove()));
function project() {
  const p = scratchProject();
  scratch.push(p);
  return p;
}

describe("promptc build", () => {
  it("builds the examples, then --check passes, and stale output exits 3", async () => {
    const p = project();
    const built = await run(p.dir, ["build"]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/built 7 prompts into generated in \d+ ms \(15 files written, lockfile updated\)/);
    expect(existsSync(join(p.dir, "generated/support/route-ticket.ts"))).toBe(true);
    expect(existsSync(join(p.dir, "generated/support/route-ticket.schemas.ts"))).toBe(true);
    expect((await run(p.dir, ["build"])).stdout).toContain("(no changes)");
    expect((await run(p.dir, ["build", "--check"])).code).toBe(0);
    writeFileSync(join(p.dir, "generated/index.ts"), "// stale\n");
    const check = await run(p.dir, ["build", "--check"]);
    expect(check.code).toBe(3);
    expect(check.stderr).toContain("error[PC1601]: generated file generated/index.ts is stale");
    expect(readFileSync(join(p.dir, "generated/index.ts"), "utf8")).toBe("// stale\n");
  });

  it("--check on an unlocked change to a committed prompt exits 1 and names the fix", async () => {
    const p = gitProject();
    scratch.push(p);
    const file = join(p.dir, "prompts/support/route-ticket.prompt.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("You route support tickets for Acme.", "You route support tickets for Acme Inc."));
    const r = await run(p.dir, ["build", "--check"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[PC1301]");
    expect(r.stderr).toContain("--> prompts/support/route-ticket.prompt.yaml:2:10");
    expect(r.stderr).toContain("help: bump version to 2");
  });

  it("outside git, an edit without a bump builds as a draft, and says once from when versions count", async () => {
    const p = project();
    expect((await run(p.dir, ["build"])).stderr).not.toContain("note:");
    const file = join(p.dir, "prompts/support/route-ticket.prompt.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("You route support tickets for Acme.", "You route support tickets for Acme Inc."));
    const r = await run(p.dir, ["build"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/note:/g)).toHaveLength(1);
    expect(r.stderr).toContain("note: `support/route-ticket` changed without a version bump, which is fine for a draft: this folder is not in a git repository. Versions are enforced from the commit that records a prompt in promptc.lock.json");
  });

  it("prints coded errors with a count, without colour under NO_COLOR and with it when forced", async () => {
    const p = project();
    p.write("prompts/broken.prompt.yaml", "version: 1\nmodel: { tier: fast, max_tokens: 10 }\ninput: { a: string }\nmessages:\n  - user: '{{b}} {{upper a}}'\n");
    const plain = await run(p.dir, ["build"]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toMatch(/\u001b\[/);
    expect(plain.stderr).toContain("error[PC1202]: template variable `b` is not declared in input");
    expect(plain.stderr).toContain("--> prompts/broken.prompt.yaml:5:14");
    expect(plain.stderr).toContain("error[PC1203]: unknown helper `upper`");
    expect(plain.stderr.trim().endsWith("2 errors")).toBe(true);
    expect(existsSync(join(p.dir, "generated"))).toBe(false);
    const colored = await run(p.dir, ["build"], { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(colored.stderr).toMatch(/\u001b\[31m/);
  });

  it("never shows a stack trace for bad input", async () => {
    const p = project();
    p.write("promptc.config.yaml", "prompts: [not, a, path]\n");
    const r = await run(p.dir, ["build"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[PC1003]");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("promptc inspect", () => {
  it("prints the IR and the rendered messages for an input", async () => {
    const p = project();
    p.write("input.json", JSON.stringify({ ticket: "Charged twice {{oops}}", customer_tier: "pro" }));
    const r = await run(p.dir, ["inspect", "support/route-ticket", "--input", "input.json"]);
    expect(r.code, r.stderr).toBe(0);
    const ir = JSON.parse(r.stdout);
    expect(ir).toMatchObject({ id: "support/route-ticket", version: 1, name: "supportRouteTicket", outputFormat: "json" });
    expect(ir.hash).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(ir.jsonSchema.output.required).toEqual(["queue", "confidence", "summary"]);
    expect(ir.jsonSchema.openaiStrict.strict).toBe(true);
    expect(ir.rendered[1]).toEqual({ role: "user", content: "Customer tier: pro\n\nTicket: Charged twice {{oops}}\n" });
  });

  it("renders what a call sends: the input sanitised as the runtime does", async () => {
    const p = project();
    // A right-to-left override and hidden tag characters go; a Persian ZWNJ stays.
    p.write("input.json", JSON.stringify({ ticket: "refund\u202E please\u{E0049}\u{E0067} می\u200Cخواهم", customer_tier: "pro" }));
    const r = await run(p.dir, ["inspect", "support/route-ticket", "--input", "input.json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rendered[1].content).toBe("Customer tier: pro\n\nTicket: refund please می\u200Cخواهم\n");
  });

  it("explains an unknown id and an input that does not match", async () => {
    const p = project();
    const unknown = await run(p.dir, ["inspect", "support/route-tiket"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("did you mean `support/route-ticket`?");
    p.write("bad.json", JSON.stringify({ ticket: 1 }));
    const bad = await run(p.dir, ["inspect", "support/route-ticket", "--input", "bad.json"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("→ at ticket");
  });
});

describe("promptc init", () => {
  it("sets up an app whose first prompt builds, and refuses to run twice", async () => {
    const p = project();
    const dir = join(p.dir, "fresh");
    p.write("fresh/package.json", JSON.stringify({ name: "fresh", type: "module", devDependencies: { typescript: "*", "@promptc/runtime": "*", zod: "*" } }));
    for (const d of ["typescript", "@promptc/runtime", "zod"]) p.write(`fresh/node_modules/${d}/package.json`, JSON.stringify({ name: d }));
    const init = await run(dir, ["init"], { npm_config_user_agent: "" });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("wrote prompts/triage.prompt.yaml");
    const build = await run(dir, ["build"]);
    expect(build.code, build.stderr).toBe(0);
    expect(readFileSync(join(dir, "generated/triage.ts"), "utf8")).toContain("export const triage = definePrompt");
    const again = await run(dir, ["init"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("promptc.config.yaml and prompts/triage.prompt.yaml already exist: promptc init does not overwrite");
  });
});

describe("promptc serve", () => {
  it("answers as OpenAI and Anthropic on loopback with the stand-in, says how to use it, and stops on Ctrl-C", async () => {
    const p = project();
    const child = spawnPromptc(p.dir, ["serve", "--port", "0"]);
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const m = /PROMPTC_LOCAL_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`serve exited:\n${out}`)));
    });
    try {
      expect(out).toContain("A stand-in, not a model");
      const openai = await fetch(`${url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "gpt-x", messages: [{ role: "user", content: "echo me" }] }) }).then((r) => r.json() as Promise<{ choices: { message: { content: string } }[] }>);
      expect(openai.choices[0]!.message.content).toBe("echo me");
      const anthropic = await fetch(`${url}/v1/messages`, {
        method: "POST",
        body: JSON.stringify({ model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: "a bug here" }], tools: [{ name: "out", input_schema: { type: "object", properties: { kind: { enum: ["billing", "bug"] } } } }], tool_choice: { type: "tool", name: "out" } }),
      }).then((r) => r.json() as Promise<{ content: { input: unknown }[] }>);
      expect(anthropic.content[0]!.input).toEqual({ kind: "bug" });
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });

  it("names a port it cannot take", async () => {
    const p = project();
    const r = await run(p.dir, ["serve", "--port", "70000"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--port takes a port number");
  });
});

describe("usage", () => {
  it("exits 2 on an unknown command or option", async () => {
    const p = project();
    expect((await run(p.dir, ["biuld"])).code).toBe(2);
    expect((await run(p.dir, ["build", "--wacth"])).code).toBe(2);
    expect((await run(p.dir, ["build", "--watch", "--check"])).code).toBe(2);
  });
});
