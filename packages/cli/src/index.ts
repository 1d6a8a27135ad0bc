export { main } from "./program.js";
export { processIo, type Io, type Out } from "./io.js";
export { startWatch, type FileWatcher, type WatchFiles, type WatchHandle, type WatchOptions } from "./commands/watch.js";
