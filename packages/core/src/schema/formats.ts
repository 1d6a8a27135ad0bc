// The JSON Schema string formats promptc asserts. Each check lives once, in the runtime's
// `schemaChecks`, which generated validators import; the build-time value check and the live zod
// schemas call the same function. Other formats are annotations: sent to the model, not checked.
import { schemaChecks } from "@promptc/runtime";

import { CHECKS_IMPORT } from "./checks-import.js";

export interface StringFormat {
  test: (s: string) => boolean;
  /** A zod expression for generated validators. */
  source: string;
  message: string;
}

const NAMES: Record<keyof typeof schemaChecks.FORMAT_CHECKS, string> = {
  "date-time": "date-time (RFC 3339)",
  date: "date (RFC 3339 full-date)",
  time: "time (RFC 3339 full-time, with an offset)",
  email: "email address",
  uuid: "UUID",
  uri: "URI (RFC 3986)",
  url: "URI (RFC 3986)",
  ipv4: "IPv4 address",
  ipv6: "IPv6 address",
};

const FORMATS: Readonly<Record<string, StringFormat>> = Object.fromEntries(
  Object.entries(schemaChecks.FORMAT_CHECKS).map(([name, test]) => {
    const message = `Invalid ${NAMES[name as keyof typeof NAMES]}`;
    return [name, {
      test,
      source: `z.string().refine(${CHECKS_IMPORT}.FORMAT_CHECKS[${JSON.stringify(name)}], ${JSON.stringify(message)})`,
      message,
    }];
  }),
);

/** The format, when promptc checks it (the rest are annotations). */
export const assertedFormat = (name: string | undefined): StringFormat | undefined => (name !== undefined && Object.hasOwn(FORMATS, name) ? FORMATS[name] : undefined);

export const isAssertedFormat = (name: string): boolean => assertedFormat(name) !== undefined;
