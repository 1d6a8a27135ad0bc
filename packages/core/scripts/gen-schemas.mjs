// Writes schema/*.schema.json from the zod format definitions (run after `tsc -b`).
import { writeFileSync } from "node:fs";
import { promptFileJsonSchema, configFileJsonSchema, evalFileJsonSchema } from "../dist/format/json-schemas.js";

const here = new URL("../schema/", import.meta.url);
writeFileSync(new URL("prompt.schema.json", here), JSON.stringify(promptFileJsonSchema(), null, 2) + "\n");
writeFileSync(new URL("config.schema.json", here), JSON.stringify(configFileJsonSchema(), null, 2) + "\n");
writeFileSync(new URL("eval.schema.json", here), JSON.stringify(evalFileJsonSchema(), null, 2) + "\n");
