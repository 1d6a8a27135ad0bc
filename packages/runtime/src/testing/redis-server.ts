// Starts a real redis-server (Debian's package) on a free loopback port, for tests and
// benchmarks. Nothing is saved to disk.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL: as if it went away). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** A port on 127.0.0.1 that nothing listens on just now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });

export async function startRedisServer(binary = "redis-server"): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
      child = c;
      let out = "";
      const onData = (d: Buffer) => {
        out += d;
        if (out.includes("Ready to accept connections")) {
          c.stdout!.off("data", onData);
          resolve();
        }
      };
      c.stdout!.on("data", onData);
      c.on("error", (e) => reject(new Error(`cannot start ${binary} (on Debian: apt-get install -y redis-server): ${e.message}`)));
      c.on("exit", (code) => reject(new Error(`${binary} exited with ${code}: ${out.slice(-500)}`)));
    });
  const kill = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, restart: start };
}

/**
 * The Redis that CI started (REDIS_URL, on loopback), or one of our own. Tests that stop Redis
 * use startRedisServer() instead; kill() leaves a server this process did not start alone.
 */
export async function sharedRedis(): Promise<RedisServer> {
  const url = process.env["REDIS_URL"];
  if (!url) return startRedisServer();
  const port = Number(new URL(url).port || 6379);
  return { url, port, kill: async () => {}, restart: async () => {} };
}

/**
 * Whether the Redis tests can run here: REDIS_URL is set, or redis-server is installed. Under
 * CI (`CI` set, as .ci/run does) a missing Redis is an error, not a reason to skip.
 */
export function redisForTests(): boolean {
  if (process.env["REDIS_URL"]) return true;
  const found = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  if (!found && process.env["CI"]) throw new Error("CI needs redis-server for the Redis store's tests (apt-get install -y redis-server); .ci/run installs it");
  return found;
}
