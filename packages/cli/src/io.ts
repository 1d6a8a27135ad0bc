// What a command reads and writes besides its files: the working directory, the environment,
// and the two output streams. The binary passes the process's own (processIo); tests pass their
// own and run `main(argv, io)` in process, several at once, without touching the process's.
import { resolve } from "node:path";

export interface Out {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Out;
  readonly stderr: Out;
  /** Resolves when the user asks a long-running command (watch, serve) to stop: Ctrl-C by default. */
  interrupted(): Promise<void>;
}

export function processIo(): Io {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, interrupted };
}

/** A path the user gave, relative to the command's working directory. */
export function pathFrom(io: Io, path: string): string {
  return resolve(io.cwd, path);
}

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
