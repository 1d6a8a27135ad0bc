// Finds the project for a command: the config file named, or the nearest one upwards.
import { resolve } from "node:path";
import { findConfig, ProjectBuilder } from "@promptc/core";

export function openProject(configOption: string | undefined): ProjectBuilder {
  const configPath = configOption ? resolve(configOption) : findConfig(process.cwd());
  return new ProjectBuilder(configPath ? resolve(configPath, "..") : process.cwd(), configPath);
}
