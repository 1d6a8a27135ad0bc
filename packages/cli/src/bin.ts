#!/usr/bin/env node
// Entry point of the promptc command. Unexpected failures print one line, not a stack trace,
// unless PROMPTC_DEBUG is set.
import module from "node:module";

// Node 22 and later keep the compiled code of the modules loaded from here on (in the OS temp
// folder), so the next run starts sooner; Node 20 has no such cache. Before anything else loads.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import("./program.js");

// Output piped into a program that stopped reading (`promptc … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`promptc: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env["PROMPTC_DEBUG"]) process.stderr.write(`${(e as Error)?.stack ?? ""}\n`);
    process.stderr.write("This is a bug in promptc; set PROMPTC_DEBUG=1 for details.\n");
    process.exitCode = 70;
  },
);
