export * from "./diagnostic.js";
export * from "./codes.js";
export * from "./format.js";
export * from "./position.js";
export * from "./suggest.js";
