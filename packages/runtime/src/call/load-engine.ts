// Loads the engine (engine.ts) once, on first use. Light on purpose: importing this module
// must not load what it defers.
import type * as Engine from "./engine.js";

let loaded: typeof Engine | undefined;
let loading: Promise<typeof Engine> | undefined;

/** The engine module: at once when loaded, else a promise of it. */
export function engine(): typeof Engine | Promise<typeof Engine> {
  return loaded ?? (loading ??= import("./engine.js").then((m) => (loaded = m)));
}
