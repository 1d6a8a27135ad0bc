// JSON Schema string formats that zod validates, as emitted source and as a live builder.
// One table, so generated validators, build-time checks and run-time zod agree.
import { z } from "zod";

export const FORMATS: Readonly<Record<string, { source: string; build: () => z.ZodType<string> }>> = {
  email: { source: "z.email()", build: () => z.email() },
  uri: { source: "z.url()", build: () => z.url() },
  url: { source: "z.url()", build: () => z.url() },
  uuid: { source: "z.uuid()", build: () => z.uuid() },
  "date-time": { source: "z.iso.datetime({ offset: true })", build: () => z.iso.datetime({ offset: true }) },
  date: { source: "z.iso.date()", build: () => z.iso.date() },
  time: { source: "z.iso.time()", build: () => z.iso.time() },
  ipv4: { source: "z.ipv4()", build: () => z.ipv4() },
  ipv6: { source: "z.ipv6()", build: () => z.ipv6() },
};
