// Checks the generated validators call: the JSON Schema string formats promptc asserts, and the
// keywords zod has no method for (uniqueItems, property counts). One implementation, shared by
// the generated `*.schemas.ts` modules, promptc's build-time value check and its live zod schemas,
// so all three agree. JSON-Schema-Test-Suite (core's json-schema-suite.test.ts) holds them to the RFCs.

/** RFC 3339 `full-time`, with a leap second only at 23:59:60 UTC. */
export function isTime(s: string): boolean {
  const m = /^(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[zZ]|([+-])(\d\d):(\d\d))$/.exec(s);
  if (!m) return false;
  const h = +m[1]!, min = +m[2]!, sec = +m[3]!, oh = +(m[5] ?? 0), om = +(m[6] ?? 0);
  if (h > 23 || min > 59 || sec > 60 || oh > 23 || om > 59) return false;
  if (sec < 60) return true;
  const utc = (((h * 60 + min - (m[4] === "-" ? -1 : 1) * (oh * 60 + om)) % 1440) + 1440) % 1440;
  return utc === 23 * 60 + 59;
}

/** RFC 3339 `full-date`: a real day of the proleptic Gregorian calendar. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s);
  if (!m) return false;
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
}

/** RFC 3339 `date-time`: full-date "T" full-time (T and Z in either case). */
export function isDateTime(s: string): boolean {
  const m = /^(\d{4}-\d\d-\d\d)[tT](.*)$/.exec(s);
  if (!m) return false;
  return isDate(m[1]!) && isTime(m[2]!);
}

/** RFC 5321 mailbox: dot-atom or quoted local part; a host name or an address literal. */
export function isEmail(s: string): boolean {
  const at = s.lastIndexOf("@");
  if (at < 1) return false;
  const local = s.slice(0, at), domain = s.slice(at + 1);
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  const localOk = new RegExp(`^${atom}(?:\\.${atom})*$`).test(local) || /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/.test(local);
  if (!localOk || local.length > 64) return false;
  if (domain.startsWith("[") && domain.endsWith("]")) {
    const lit = domain.slice(1, -1);
    if (lit.startsWith("IPv6:")) return isIpv6(lit.slice(5));
    return isIpv4(lit);
  }
  return domain.length <= 253 && /^(?=.)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(domain);
}

/** RFC 9562 (and 4122) textual UUID: 8-4-4-4-12 hex digits, any version. */
export function isUuid(s: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s);
}

/** RFC 3986 `URI`: a scheme, then hier-part, query and fragment of allowed characters and escapes. */
export function isUri(s: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/((?:[^@/?#\[\]]*@)?)(\[[^\]]*\]|[^:/?#\[\]]*)(?::(\d*))?)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
  if (!m) return false;
  const pchar = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
  const of = (extra: string) => new RegExp(`^(?:${pchar}|[${extra}])*$`);
  const [, , userinfo = "", host = "", , path = "", query, fragment] = m;
  if (userinfo && !of("").test(userinfo.slice(0, -1))) return false;
  if (host.startsWith("[")) {
    const inner = host.slice(1, -1);
    if (!(isIpv6(inner) || /^v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/.test(inner))) return false;
  } else if (!/^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(host)) return false;
  if (m[3] !== undefined && path !== "" && !path.startsWith("/")) return false; // after an authority, the path is empty or absolute
  if (!of("/").test(path)) return false;
  if (query !== undefined && !of("/?").test(query)) return false;
  if (fragment !== undefined && !of("/?").test(fragment)) return false;
  return true;
}

/** Dotted-decimal IPv4, no leading zeros. */
export function isIpv4(s: string): boolean {
  return /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s);
}

/** RFC 4291 text form: eight groups or one `::`, an IPv4 tail allowed; no zone, no prefix length. */
export function isIpv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  let text = s;
  if (s.includes(".")) {
    const lastColon = s.lastIndexOf(":");
    if (!isIpv4(s.slice(lastColon + 1))) return false;
    text = `${s.slice(0, lastColon + 1)}0:0`; // the IPv4 tail counts as two groups
  }
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!), rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const n = head.length + rest.length;
  return halves.length === 2 ? n <= 7 : n === 8;
}

/** JSON equality for `uniqueItems`: 1 and 1.0 are equal, key order does not matter. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);
}

export function hasUniqueItems(list: readonly unknown[]): boolean {
  return new Set(list.map(canonical)).size === list.length;
}

/**
 * A copy of a plain object without a prototype, for objects with a property named like one of
 * Object.prototype's (`constructor`, `toString`): zod reads properties with `obj[key]`, which
 * would find the inherited one when the key is absent.
 */
export function withoutPrototype(value: unknown): unknown {
  return value && typeof value === "object" && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value;
}

/** The formats, by their JSON Schema name. */
export const FORMAT_CHECKS = {
  "date-time": isDateTime,
  date: isDate,
  time: isTime,
  email: isEmail,
  uuid: isUuid,
  uri: isUri,
  url: isUri,
  ipv4: isIpv4,
  ipv6: isIpv6,
} as const satisfies Record<string, (s: string) => boolean>;
