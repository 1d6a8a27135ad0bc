// Opening a SQLite file the way every promptc store does: better-sqlite3 (an optional peer),
// the folder created, WAL with synchronous=FULL (a committed write survives a killed process or a
// lost machine), and a busy timeout, so processes sharing the file wait for each other.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";

/** `user` names the store in the error a missing better-sqlite3 gives. */
export function openSqliteFile(path: string, user: string): BetterSqlite3.Database {
  let Database: typeof BetterSqlite3;
  try {
    Database = createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  } catch (e) {
    throw new Error(`${user} needs better-sqlite3: npm install better-sqlite3 (${(e as Error).message})`, { cause: e });
  }
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  return db;
}
