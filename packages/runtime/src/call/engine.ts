// Everything a call needs beyond what importing the runtime loads: the call loop, providers,
// the lenient parser, token counting. One module, imported on the first call or render, so
// that importing generated prompts stays cheap (see docs/architecture.md).
export { CallLoop } from "./call-loop.js";
export { prepareInput, schemasOf, strictSchemaOf } from "./prepare.js";
export { readOutput } from "./output.js";
