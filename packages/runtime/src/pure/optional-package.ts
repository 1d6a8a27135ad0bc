// Optional packages (provider SDKs, the tokenizer) are peers that an app installs only if it
// uses them; they load on first use. A missing one is a typed error naming the install command.

/** An optional package the runtime needs for what was asked of it is not installed. */
export class MissingPackageError extends Error {
  readonly code = "E_PACKAGE_MISSING";
  constructor(
    readonly packageName: string,
    /** What needed it, e.g. "the openai provider". */
    readonly neededFor: string,
  ) {
    super(`${neededFor} needs the package \`${packageName}\`, which is not installed. Install it in your app: npm i ${packageName} (or pnpm add / yarn add ${packageName})`);
    this.name = "MissingPackageError";
  }
}

/** import(), turning "cannot find this package" into MissingPackageError; other failures pass through. */
export async function importOptional<T>(packageName: string, neededFor: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isMissingPackage(e, packageName)) throw new MissingPackageError(packageName, neededFor);
    throw e;
  }
}

/**
 * Whether `e` is Node failing to find `packageName` itself (not one of its own dependencies),
 * here or in its cause (loaders and test runners wrap it).
 */
export function isMissingPackage(e: unknown, packageName: string): boolean {
  for (let x = e, depth = 0; x && depth < 4; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") continue;
    const message = String((x as Error).message);
    if (message.includes(`'${packageName}'`) || message.includes(`'${packageName}/`) || message.includes(`"${packageName}"`)) return true;
  }
  return false;
}
