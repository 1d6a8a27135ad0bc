// An eval assertion as the IR holds it: what `assert:` entries (in `tests:` and *.eval.yaml) compile to.
import type { JsonValue } from "../schema/ir.js";

export const ASSERTION_TYPES = ["equals", "matches", "contains", "regex", "range", "schema-valid", "js", "similar", "judge", "max-cost", "max-latency"] as const;
export type AssertionType = (typeof ASSERTION_TYPES)[number];

export interface AssertionIR {
  type: AssertionType;
  /** Written `not-<type>`: passes when the assertion fails. */
  negate: boolean;
  /** Where in the output (field names and array indexes); empty for the whole output. */
  path: (string | number)[];
  /**
   * The argument: equals/matches a value; contains a value; regex a pattern; range `{ min?, max? }`;
   * schema-valid `true`; js an expression; similar the reference text; judge a prompt id;
   * max-cost USD per call; max-latency milliseconds.
   */
  value: JsonValue;
  flags?: string;
  /** similar: cosine needed (default 0.8); judge: score needed when the judge gives one. */
  threshold?: number;
  criteria?: string;
  /** `file:line:col` of the entry, for reports. */
  at: string;
}
