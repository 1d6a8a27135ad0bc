// Where printed module shapes come from: a worker started early (prefetchShapes), or, when
// there is none, ts-morph loaded on this thread.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { printShape, shapeKey, type Shape } from "./module-shape.js";

const printed = new Map<string, string>();
let prefetch: { port: MessagePort; flag: Int32Array; worker: Worker } | undefined;

/** Starts printing shapes on another thread. Cheap to call; does nothing once they exist. */
export function prefetchShapes(): void {
  if (prefetch || printed.size || process.env["PROMPTC_NO_PREFETCH"]) return;
  const entry = new URL("./shape-worker.js", import.meta.url);
  // Under a TypeScript test runner there is no compiled worker to start.
  if (!existsSync(fileURLToPath(entry))) return;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(entry, { workerData: { port: port2, flag }, transferList: [port2] });
  worker.unref();
  worker.on("error", () => {});
  prefetch = { port: port1, flag, worker };
}

export function shapeText(shape: Shape): string {
  const key = shapeKey(shape);
  if (!printed.has(key) && prefetch) collect();
  let text = printed.get(key);
  if (text === undefined) printed.set(key, (text = printShape(shape)));
  return text;
}

function collect(): void {
  const { port, flag, worker } = prefetch!;
  prefetch = undefined;
  // Blocks only if the worker is still printing; gives up after 10 s and prints here instead.
  Atomics.wait(flag, 0, 0, 10_000);
  const message = receiveMessageOnPort(port)?.message as { shapes?: Record<string, string> } | undefined;
  for (const [k, v] of Object.entries(message?.shapes ?? {})) printed.set(k, v);
  port.close();
  void worker.terminate();
}
