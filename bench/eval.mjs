// promptc eval and bisect in replay, timed as a user runs them: the whole command in a fresh
// process (start-up, build in memory, cassettes, assertions, reports).
//   1. `promptc eval --replay` over 500 cases (target: <= 3 s)
//   2. `promptc bisect --replay` over 16 versions of a prompt in git (target: <= 10 s)
// Cassettes are recorded first from the local server (a stand-in model).
//   node bench/eval.mjs     (after `pnpm build`)
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockServer } from "@promptc/runtime/testing";

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, "../packages/cli/dist/bin.js");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function promptc(cwd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, ms: performance.now() - t0 }));
  });
}

const RULE = "Billing questions go to billing.";
const QUEUES = ["billing", "technical", "sales"];
const topicOf = (i) => QUEUES[i % 3];
const ticketOf = (i) => `${["charged twice", "the app crashes", "which plan"][i % 3]} (case ${i})`;
/** A stand-in model: routes by keyword, and to billing only when the system message says so. */
const model = (r) => {
  const text = JSON.stringify(r.body.messages);
  const billing = text.includes(RULE) && text.includes("charged");
  return { json: { queue: billing ? "billing" : text.includes("crashes") ? "technical" : "sales", confidence: 0.9, summary: `Customer says: ${/Ticket: ([^"\\]*)/.exec(text)?.[1] ?? ""}` } };
};

const CONFIG = "prompts: prompts\nout: generated\ntiers:\n  fast: [openai:gpt-4.1-mini]\n";
const promptText = (version, system) => `version: ${version}
model: { tier: fast, max_tokens: 100 }
input:
  ticket: string
output:
  queue(enum): [billing, technical, sales]
  confidence: number
  summary: string
messages:
  - system: "${system}"
  - user: "Ticket: {{ticket}}"
on_invalid_output: { reask: 0 }
`;
const suite = (n) => `prompt: route
assert:
  - schema-valid: true
  - range: { min: 0.5, max: 1 }
    path: confidence
  - max-cost: 0.01
cases:
${Array.from({ length: n }, (_, i) => `  - name: case ${i}
    input: { ticket: "${ticketOf(i)}" }
    expect: { queue: ${topicOf(i)} }
    assert:
      - contains: "case ${i}"
        path: summary
      - regex: "^Customer says"
        path: summary`).join("\n")}
`;

const server = await startMockServer({ handler: model });
const env = { OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: "bench" };
const offline = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "" };
const work = mkdtempSync(join(tmpdir(), "promptc-bench-eval-"));
const results = {};
try {
  // 1. eval over 500 and 5,000 cases of one file (issue 15: at most 10× the time of 500)
  for (const n of [500, 5000]) {
    const evalDir = join(work, `eval${n}`);
    mkdirSync(join(evalDir, "prompts"), { recursive: true });
    writeFileSync(join(evalDir, "promptc.config.yaml"), CONFIG);
    writeFileSync(join(evalDir, "prompts/route.prompt.yaml"), promptText(1, `Route support tickets. ${RULE}`));
    writeFileSync(join(evalDir, "prompts/route.eval.yaml"), suite(n));
    const recorded = await promptc(evalDir, ["eval", "--record", "--concurrency", "8"], env);
    if (recorded.code !== 0) throw new Error(`recording failed:\n${recorded.out}`);
    const runs = [];
    for (let i = 0; i < (n > 500 ? 3 : 5); i++) {
      const r = await promptc(evalDir, ["eval", "--replay", "--json", "report.json"], offline);
      if (r.code !== 0 || !r.out.includes(`${n}/${n} cases passed`)) throw new Error(`replay failed:\n${r.out.slice(-2000)}`);
      runs.push(r.ms);
    }
    results[`evalReplay${n}`] = { medianMs: median(runs), runsMs: runs.map(Math.round) };
    console.log(`promptc eval --replay, ${n} cases (5 assertions each + expect): ${(median(runs) / 1000).toFixed(2)} s median of ${runs.length} fresh processes (runs: ${runs.map((x) => (x / 1000).toFixed(2)).join(", ")} s${n === 500 ? "; target <= 3 s" : ""})`);
  }
  console.log(`5,000 cases took ${(results.evalReplay5000.medianMs / results.evalReplay500.medianMs).toFixed(1)}× the time of 500 (target <= 10×)`);

  // 2. bisect over 16 versions: v11 drops the billing rule
  const repo = join(work, "bisect");
  mkdirSync(join(repo, "prompts"), { recursive: true });
  writeFileSync(join(repo, "promptc.config.yaml"), CONFIG);
  writeFileSync(join(repo, ".gitignore"), "generated/\n");
  const git = (...args) => execFileSync("git", ["-C", repo, "-c", "user.name=b", "-c", "user.email=b@example.com", ...args], { stdio: "pipe" });
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "prompts/route.eval.yaml"), suite(30));
  for (let v = 1; v <= 16; v++) {
    const system = v < 11 ? `Route support tickets (revision ${v}). ${RULE}` : `Route support tickets briefly (revision ${v}).`;
    writeFileSync(join(repo, "prompts/route.prompt.yaml"), promptText(v, system));
    git("add", ".");
    git("commit", "-q", "-m", `v${v}`);
  }
  const rec = await promptc(repo, ["bisect", "route", "--good", "1", "--bad", "16", "--record"], env);
  if (rec.code !== 0 || !rec.out.includes("First bad version: v11")) throw new Error(`bisect --record failed:\n${rec.out}`);
  const bisects = [];
  for (let i = 0; i < 3; i++) {
    const r = await promptc(repo, ["bisect", "route", "--good", "1", "--bad", "16", "--replay"], offline);
    if (r.code !== 0 || !r.out.includes("First bad version: v11")) throw new Error(`bisect --replay failed:\n${r.out}`);
    bisects.push(r.ms);
  }
  const evaluated = /(\d+) of 16 versions evaluated/.exec(rec.out)?.[1];
  results.bisectReplay16 = { medianMs: median(bisects), runsMs: bisects.map(Math.round), versionsEvaluated: Number(evaluated) };
  console.log(`promptc bisect --replay, 16 versions x 30 cases (${evaluated} versions evaluated): ${(median(bisects) / 1000).toFixed(2)} s median of 3 fresh processes (runs: ${bisects.map((x) => (x / 1000).toFixed(2)).join(", ")} s; target <= 10 s)`);
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
mkdirSync(join(here, ".work"), { recursive: true });
writeFileSync(join(here, ".work/eval.json"), JSON.stringify(results, null, 2) + "\n");
