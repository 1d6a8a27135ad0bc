// A progress bar on stderr for long eval runs, redrawn in place at most every 100 ms.
import type { Out } from "../io.js";
export function progressBar(stream: Out, color: boolean): { update(done: number, total: number, failed: number): void; done(): void } {
  let last = 0;
  let drawn = false;
  let state = { done: 0, total: 0, failed: 0 };
  const tty = !!stream.isTTY;
  const draw = () => {
    const { done, total, failed } = state;
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const fail = failed ? ` ${color ? "\x1b[31m" : ""}${failed} failed${color ? "\x1b[0m" : ""}` : "";
    stream.write(`${tty ? "\r\x1b[2K" : ""}eval ${bar} ${done}/${total} runs${fail}${tty ? "" : "\n"}`);
    drawn = true;
  };
  return {
    update(done, total, failed) {
      state = { done, total, failed };
      const now = performance.now();
      if (now - last >= 100 || done === total) {
        last = now;
        draw();
      }
    },
    done() {
      if (drawn && tty) stream.write("\n");
    },
  };
}
