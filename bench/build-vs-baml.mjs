// Issue 14: `promptc build` against BAML's generator on the same N functions (the same input and
// output fields), as whole fresh processes (CLI start included), interleaved, on tmpfs, cold
// (no earlier output), medians of the rounds, with peak RSS from /usr/bin/time.
//   node bench/build-vs-baml.mjs [--sizes 10,100,1000,10000] [--rounds 3]     (after `pnpm build`)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const BIN = join(repo, "packages/cli/dist/bin.js");
const BAML = join(here, "node_modules/@boundaryml/baml/cli.js");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : process.argv[i + 1];
};
const sizes = arg("sizes", "10,100,1000,10000").split(",").map(Number);
const rounds = Number(arg("rounds", "3"));
const root = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/promptc-vs-baml-") : mkdtempSync(join(repo, "bench/.work/vs-baml-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const CONFIG = `# A bench project: one provider, one tier.
prompts: prompts
out: generated
lockfile: promptc.lock.json
providers:
  openai: { type: openai }
tiers:
  fast: [openai:gpt-5.4-mini]
`;

/** One prompt: route-ticket's fields, its own text per copy. */
const prompt = (i, tests) => `version: 1
description: Route support ticket ${i} to the right queue.
model: { tier: fast, max_tokens: 300, temperature: 0 }
input:
  ticket: string, the customer's message
  customer_tier(enum): [free, pro, enterprise]
output:
  queue(enum): [billing, technical, sales, abuse]
  confidence: number, how sure the routing is, between 0 and 1
  summary: string, one sentence for the agent who picks it up
messages:
  - system: You route support tickets for Acme unit ${i}. Answer with the queue, your confidence and a one-line summary.
  - user: |
      Customer tier: {{customer_tier}}
      Ticket: {{ticket}}
${tests ? `tests:
  - name: a double charge goes to billing
    input: { ticket: "I was charged twice this month", customer_tier: pro }
    expect: { queue: billing }
  - name: a crash report goes to technical
    input: { ticket: "The app crashes when I upload a PDF", customer_tier: free }
    expect: { queue: technical }
` : ""}`;

/** The same function in BAML: its own enum and class, as promptc gives each prompt its own types. */
const bamlFunction = (i) => `enum Queue${i} {
  Billing @alias("billing")
  Technical @alias("technical")
  Sales @alias("sales")
  Abuse @alias("abuse")
}

class Routed${i} {
  queue Queue${i}
  confidence float @description("how sure the routing is, between 0 and 1")
  summary string @description("one sentence for the agent who picks it up")
}

enum Tier${i} {
  Free @alias("free")
  Pro @alias("pro")
  Enterprise @alias("enterprise")
}

function RouteTicket${i}(ticket: string, customer_tier: Tier${i}) -> Routed${i} {
  client Local
  prompt #"
    {{ _.role("system") }}
    You route support tickets for Acme unit ${i}. Answer with the queue, your confidence and a one-line summary.
    {{ ctx.output_format }}
    {{ _.role("user") }}
    Customer tier: {{ customer_tier }}
    Ticket: {{ ticket }}
  "#
}
`;

const BAML_HEADER = `client<llm> Local {
  provider openai
  options {
    model "gpt-5.4-mini"
    api_key "bench"
    max_completion_tokens 300
  }
}

generator bench {
  output_type "typescript"
  output_dir "../generated"
  version "0.226.2"
  module_format "esm"
}
`;

function makeProjects(n) {
  const dir = join(root, `n${n}`);
  const projects = {};
  for (const tests of [false, true]) {
    const p = join(dir, tests ? "promptc-tests" : "promptc");
    for (let i = 0; i < n; i++) {
      const folder = join(p, "prompts", `team${String(Math.floor(i / 100)).padStart(3, "0")}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `route-${i}.prompt.yaml`), prompt(i, tests));
    }
    writeFileSync(join(p, "promptc.config.yaml"), CONFIG);
    projects[tests ? "promptc, with tests" : "promptc"] = p;
  }
  const b = join(dir, "baml");
  mkdirSync(join(b, "baml_src"), { recursive: true });
  writeFileSync(join(b, "baml_src", "main.baml"), BAML_HEADER);
  // BAML projects split functions across files as teams do; 100 to a file.
  for (let f = 0; f * 100 < n; f++) {
    writeFileSync(join(b, "baml_src", `routes-${f}.baml`), Array.from({ length: Math.min(100, n - f * 100) }, (_, k) => bamlFunction(f * 100 + k)).join("\n"));
  }
  projects.baml = b;
  return projects;
}

/** One cold run, whole process: wall time and peak RSS. */
function runOnce(name, dir) {
  rmSync(join(dir, "generated"), { recursive: true, force: true });
  rmSync(join(dir, "promptc.lock.json"), { force: true });
  const command = name === "baml" ? [process.execPath, BAML, "generate", "--from", "baml_src"] : [process.execPath, BIN, "build"];
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", ...command], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${name} failed in ${dir} (${r.status}): ${r.stdout}\n${r.stderr}`);
  const rssKb = Number(r.stderr.trim().split("\n").pop());
  return { ms, rssMb: rssKb / 1024 };
}

const rows = [];
for (const n of sizes) {
  const projects = makeProjects(n);
  const samples = Object.fromEntries(Object.keys(projects).map((k) => [k, []]));
  runOnce("promptc", projects.promptc); // warm the page cache for node and the CLI, once
  for (let r = 0; r < rounds; r++) for (const [name, dir] of Object.entries(projects)) samples[name].push(runOnce(name === "baml" ? "baml" : "promptc", dir));
  const row = { n };
  for (const [name, s] of Object.entries(samples)) row[name] = { ms: Math.round(median(s.map((x) => x.ms))), rssMb: Math.round(median(s.map((x) => x.rssMb))) };
  row.ratio = +(row["promptc, with tests"].ms / row.baml.ms).toFixed(2);
  rows.push(row);
  console.log(JSON.stringify(row));
  rmSync(join(root, `n${n}`), { recursive: true, force: true });
}
rmSync(root, { recursive: true, force: true });

console.log(`\nnode ${process.version}, ${rounds} rounds, medians, whole processes on ${root.startsWith("/dev/shm") ? "tmpfs" : "disk"}`);
console.log("prompts   promptc            promptc, with tests   BAML               with tests / BAML");
for (const r of rows) {
  const cell = (c) => `${String(c.ms).padStart(6)} ms ${String(c.rssMb).padStart(4)} MB`;
  console.log(`${String(r.n).padStart(7)}   ${cell(r.promptc)}   ${cell(r["promptc, with tests"])}      ${cell(r.baml)}   ${r.ratio}`);
}
