// Durations as written in YAML: 250ms, 10s, 2m, 1h, 1d, or a bare number of milliseconds.
import { z } from "zod";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

export const Duration = z.union([
  z.number().nonnegative(),
  z.string().regex(PATTERN, { error: "expected a duration like 500ms, 10s, 5m, 1h or 1d" }),
]).describe("A duration: 500ms, 10s, 5m, 1h, 1d, or milliseconds as a number");

export function durationMs(value: number | string): number {
  if (typeof value === "number") return value;
  const m = PATTERN.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${value}`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}
