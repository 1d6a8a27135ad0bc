// Worker entry: prints every module shape off the main thread while it compiles prompts.
import { workerData, type MessagePort } from "node:worker_threads";
import { ALL_SHAPES, printShape, shapeKey } from "./module-shape.js";

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };
try {
  port.postMessage({ shapes: Object.fromEntries(ALL_SHAPES.map((s) => [shapeKey(s), printShape(s)])) });
} catch (e) {
  port.postMessage({ error: String(e) });
} finally {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
