// @promptc/runtime/tokens: token counting and context windows, as calls use them.
export { contextWindow } from "./windows.js";
export { countOpenAI, estimate as estimateTokens, upperBound as tokenUpperBound } from "./count.js";
