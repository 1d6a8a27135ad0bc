// What `promptc init` needs to know about the app it sets up, read without changing anything.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

export interface AppFacts {
  packageJson: Record<string, unknown> | null;
  /** Why package.json could not be read, when it exists but is not a JSON object. */
  packageJsonError: string | null;
  /** package.json's indentation, kept when init adds its scripts. */
  indent: string | number;
  pm: PackageManager;
  module: "module" | "commonjs";
  typescript: boolean;
  /**
   * Of the packages init asks about, those the app depends on itself (package.json), not
   * those it reaches only through another package: pnpm would not let it import them.
   */
  installed: Set<string>;
  /** Provider SDKs among them. */
  sdks: string[];
  /** node_modules/promptc/schema as the app resolves it, if promptc is installed. */
  schemaDir: string | null;
  git: boolean;
  /** Where the app's sources are (src/ when it has one) and where generated code goes. */
  srcDir: string;
  outDir: string;
}

const ASKED = ["typescript", "@promptc/runtime", "zod", "openai", "@anthropic-ai/sdk", "promptc"];

/** `env`: where the package manager that ran promptc says so (npm_config_user_agent). */
export function inspectApp(dir: string, env: Readonly<Record<string, string | undefined>>): AppFacts {
  const pkgPath = join(dir, "package.json");
  let packageJson: Record<string, unknown> | null = null;
  let packageJsonError: string | null = null;
  let indent: string | number = 2;
  if (existsSync(pkgPath)) {
    const text = readFileSync(pkgPath, "utf8");
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) packageJson = parsed as Record<string, unknown>;
      else packageJsonError = "it is not a JSON object";
    } catch (e) {
      packageJsonError = (e as Error).message;
    }
    const m = /^\{\r?\n([ \t]+)"/.exec(text);
    if (m) indent = m[1]!.startsWith("\t") ? "\t" : m[1]!.length;
  }
  const declared = { ...(packageJson?.["dependencies"] as object | undefined), ...(packageJson?.["devDependencies"] as object | undefined), ...(packageJson?.["peerDependencies"] as object | undefined) } as Record<string, unknown>;
  const installed = new Set(ASKED.filter((name) => name in declared && packageDir(dir, name) !== null));
  const promptcDir = packageDir(dir, "promptc");
  const hasSrc = existsSync(join(dir, "src")) && statSync(join(dir, "src")).isDirectory();
  return {
    packageJson,
    packageJsonError,
    indent,
    pm: packageManagerOf(dir, packageJson, env),
    module: packageJson?.["type"] === "module" ? "module" : "commonjs",
    typescript: installed.has("typescript"),
    installed,
    sdks: ["openai", "@anthropic-ai/sdk"].filter((s) => installed.has(s)),
    schemaDir: promptcDir && existsSync(join(promptcDir, "schema", "prompt.schema.json")) ? join(promptcDir, "schema") : null,
    git: insideGit(dir),
    srcDir: hasSrc ? join(dir, "src") : dir,
    outDir: hasSrc ? "src/generated" : "generated",
  };
}

/** Where `name` resolves from `dir` (node_modules in it or a folder above), or null. */
function packageDir(dir: string, name: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, "node_modules", ...name.split("/"));
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(d) === d) return null;
  }
}

/** The lockfile in the app's folder or above, else package.json's packageManager, else who ran us. */
function packageManagerOf(dir: string, pkg: Record<string, unknown> | null, env: Record<string, string | undefined>): PackageManager {
  const locks: [string, PackageManager][] = [["pnpm-lock.yaml", "pnpm"], ["yarn.lock", "yarn"], ["bun.lockb", "bun"], ["bun.lock", "bun"], ["package-lock.json", "npm"]];
  for (let d = dir; ; d = dirname(d)) {
    for (const [file, pm] of locks) if (existsSync(join(d, file))) return pm;
    if (existsSync(join(d, ".git")) || dirname(d) === d) break;
  }
  const declared = typeof pkg?.["packageManager"] === "string" ? (pkg["packageManager"] as string).split("@")[0] : undefined;
  if (declared === "pnpm" || declared === "yarn" || declared === "bun" || declared === "npm") return declared;
  const agent = env["npm_config_user_agent"] ?? "";
  return agent.startsWith("pnpm") ? "pnpm" : agent.startsWith("yarn") ? "yarn" : agent.startsWith("bun") ? "bun" : "npm";
}

function insideGit(dir: string): boolean {
  try {
    execFileSync("git", ["-C", dir, "rev-parse", "--is-inside-work-tree"], { stdio: "ignore", timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export function installCommand(pm: PackageManager, packages: string[], dev: boolean): string {
  const list = packages.join(" ");
  if (pm === "npm") return `npm i ${dev ? "-D " : ""}${list}`;
  if (pm === "bun") return `bun add ${dev ? "-d " : ""}${list}`;
  return `${pm} add ${dev ? "-D " : ""}${list}`;
}

/** How this package manager runs a binary the app has installed. */
export function execCommand(pm: PackageManager, bin: string): string {
  return `${pm === "npm" ? "npx" : pm === "pnpm" ? "pnpm exec" : pm === "yarn" ? "yarn" : "bunx"} ${bin}`;
}

export function runCommand(pm: PackageManager, script: string): string {
  if (script === "init") return pm === "pnpm" ? "pnpm init" : `${pm} init -y`;
  return pm === "npm" ? `npm run ${script}` : pm === "bun" ? `bun run ${script}` : `${pm} ${script}`;
}
