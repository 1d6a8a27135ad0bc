export { main } from "./program.js";
export { startWatch, type WatchHandle } from "./commands/watch.js";
