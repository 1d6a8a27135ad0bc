// Finds the project for a command: the config file named, or the nearest one upwards.
import { resolve } from "node:path";
import { DiagnosticBag, findConfig, loadConfig, ProjectBuilder } from "@promptc/core";
import { pathFrom, type Io } from "./io.js";

export function openProject(io: Io, configOption: string | undefined): ProjectBuilder {
  const configPath = configOption ? pathFrom(io, configOption) : findConfig(io.cwd);
  return new ProjectBuilder(configPath ? resolve(configPath, "..") : io.cwd, configPath, { cwd: io.cwd });
}

/** The project's prompts folder (from its config), or undefined when the config does not load. */
export function promptsDirOf(io: Io, configOption: string | undefined): string | undefined {
  const configPath = configOption ? pathFrom(io, configOption) : findConfig(io.cwd);
  return loadConfig(configPath ? resolve(configPath, "..") : io.cwd, configPath, new DiagnosticBag(), new Date(), io.cwd)?.promptsDir;
}
