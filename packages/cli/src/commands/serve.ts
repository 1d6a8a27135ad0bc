// promptc serve: the bundled local OpenAI- and Anthropic-compatible server, on loopback, with
// its stand-in model, for trying an app or its evals with no key and no network.
import type { Io } from "../io.js";
import type { MockServer } from "@promptc/runtime/testing";
import { startLocalServer } from "../local-server.js";
import { EXIT } from "../output.js";

export const DEFAULT_PORT = 4141;

export interface ServeOptions {
  port?: string;
}

export async function runServe(io: Io, opts: ServeOptions, signal: Promise<void>): Promise<number> {
  const port = opts.port === undefined ? DEFAULT_PORT : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr.write(`promptc serve: --port takes a port number (0 for any free one), got \`${opts.port}\`\n`);
    return EXIT.USAGE;
  }
  let server: MockServer;
  try {
    server = await startLocalServer(port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`promptc serve: cannot listen on 127.0.0.1:${port} (${code ?? (e as Error).message})${code === "EADDRINUSE" ? "; another program has it: pick another with --port, or --port 0 for any free one" : ""}\n`);
    return EXIT.USAGE;
  }
  io.stdout.write(
    [
      `promptc: local OpenAI- and Anthropic-compatible server on ${server.url}`,
      "  A stand-in, not a model: text replies echo the last user message; JSON replies are",
      "  schema-valid values (an enum takes a value the message names). No key needed; replies cost 0.",
      "",
      "Point an app's generated functions at it (calls are recorded as local):",
      `  PROMPTC_LOCAL_URL=${server.url} node your-app.js`,
      `  or in code: configureRuntime({ localServer: "${server.url}" })`,
      `Other clients: OPENAI_BASE_URL=${server.openaiBaseURL}  ANTHROPIC_BASE_URL=${server.anthropicBaseURL}`,
      "Evals: `promptc eval --local` starts its own. Ctrl-C stops this server.",
      "",
    ].join("\n"),
  );
  await signal;
  await server.close();
  return EXIT.OK;
}
