// How the schema front ends point errors back into the YAML they came from.
import type { SourceSpan } from "../diagnostics/index.js";

export type SchemaPath = readonly (string | number)[];

/** Maps a path inside the schema value to a span; "key" points at a mapping key, "value" at its value. */
export type Locate = (path: SchemaPath, part: "key" | "value") => SourceSpan | undefined;

export const locateNowhere: Locate = () => undefined;
