// The `version:` of a prompt file's text, without compiling it (bisect reads every commit's).
import jsYaml from "js-yaml";

export function promptVersionOf(text: string): number | undefined {
  try {
    const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) as { version?: unknown } | null;
    return typeof data?.version === "number" && Number.isInteger(data.version) ? data.version : undefined;
  } catch {
    return undefined;
  }
}
