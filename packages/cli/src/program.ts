// The promptc command line.
import { Command, CommanderError } from "commander";
import { runBuild } from "./commands/build.js";
import { runInit } from "./commands/init.js";
import { runInspect } from "./commands/inspect.js";
import { startWatch } from "./commands/watch.js";
import { EXIT } from "./output.js";
import { openProject } from "./project.js";

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  const program = new Command()
    .name("promptc")
    .description("Compile *.prompt.yaml files into typed TypeScript functions")
    .version("0.1.0")
    .option("-c, --config <path>", "promptc.config.yaml to use (default: nearest one upwards)")
    .exitOverride()
    .showHelpAfterError();

  program.command("init")
    .description("create promptc.config.yaml and a first prompt in the current folder")
    .action(() => {
      code = runInit(process.cwd());
    });

  program.command("build")
    .description("compile prompts into TypeScript and update the lockfile")
    .option("-w, --watch", "rebuild on every change until Ctrl-C")
    .option("--check", "write nothing; exit 3 if generated output or the lockfile is stale")
    .action(async (opts: { watch?: boolean; check?: boolean }) => {
      const builder = openProject(program.opts<{ config?: string }>().config);
      if (opts.watch && opts.check) {
        process.stderr.write("promptc: --watch and --check cannot be used together\n");
        code = EXIT.USAGE;
        return;
      }
      if (!opts.watch) {
        code = runBuild(builder, !!opts.check);
        return;
      }
      const handle = startWatch(builder);
      await handle.ready;
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void handle.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      code = EXIT.OK;
    });

  program.command("inspect")
    .description("print a prompt's IR: JSON Schemas, version, hash, and rendered messages for an input")
    .argument("<prompt-id>", "the prompt's path under the prompts folder, e.g. support/route-ticket")
    .option("-i, --input <file.json>", "render the messages for this input")
    .action((id: string, opts: { input?: string }) => {
      code = runInspect(openProject(program.opts<{ config?: string }>().config), id, opts.input);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    throw e;
  }
  return code;
}
