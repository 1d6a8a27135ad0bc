// Records the example prompts' eval cassettes (../../cassettes) from the bundled local server:
//   pnpm --filter @promptc/example-app record-evals
// With a real key in the environment you would run `promptc eval --record` yourself instead;
// CI replays whichever were recorded (`promptc eval --replay`).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { startLocalServer } from "./local-server.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const server = await startLocalServer({ configure: false });
console.log(`recording from the bundled local server at ${server.url}`);
// Asynchronously: the server answers from this process's event loop.
const child = spawn(process.execPath, [`${repo}packages/cli/dist/bin.js`, "eval", "--record", ...process.argv.slice(2)], {
  cwd: repo,
  stdio: "inherit",
  env: { ...process.env, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: "local-server", ANTHROPIC_BASE_URL: server.anthropicBaseURL, ANTHROPIC_API_KEY: "local-server" },
});
const [status] = (await once(child, "exit")) as [number | null];
await server.close();
process.exit(status ?? 1);
