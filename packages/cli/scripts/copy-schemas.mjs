// Copies @promptc/core's JSON Schemas into this package, so an app's editor settings can point
// at node_modules/promptc/schema/… under every package manager (pnpm does not hoist core).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const from = join(here, "../../core/schema");
const to = join(here, "../schema");
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) if (name.endsWith(".schema.json")) copyFileSync(join(from, name), join(to, name));
