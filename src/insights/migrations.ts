/**
 * The question log's schema, as numbered migrations. The database's `user_version` is the
 * number of the last one applied; at start-up every later one is applied, in order, in one
 * write transaction, so that several shards starting at once apply each exactly once.
 * Append new migrations; never edit one that has shipped.
 */
import type Database from "better-sqlite3";

export const MIGRATIONS: readonly string[] = [
  // 1: one row per answer computed for /ask (the command, a button that recomputes it, the console).
  `CREATE TABLE asks (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL UNIQUE,
     at INTEGER NOT NULL,
     guild TEXT,
     user_hash TEXT NOT NULL,
     question TEXT NOT NULL,
     outlet TEXT,
     via TEXT NOT NULL,
     answered INTEGER NOT NULL,
     reason TEXT,
     slug TEXT,
     paragraph INTEGER,
     confidence REAL
   );
   CREATE INDEX asks_at ON asks (at);`,
  // 2: one row per member's vote on an answer; a second click changes it.
  `CREATE TABLE votes (
     ask_key TEXT NOT NULL,
     user_hash TEXT NOT NULL,
     helpful INTEGER NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (ask_key, user_hash)
   ) WITHOUT ROWID;
   CREATE INDEX votes_at ON votes (at);`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The database was written by a newer version of the bot; it is left alone. */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(
      `the question log has schema version ${found}, newer than this bot's ${SCHEMA_VERSION}: upgrade the bot`,
    );
    this.name = "NewerSchemaError";
  }
}

/**
 * Brings the schema up to {@link SCHEMA_VERSION}, or up to `target` (tests build each earlier
 * version this way). Returns the version found before.
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): number {
  const current = () => db.pragma("user_version", { simple: true }) as number;
  const found = current();
  if (found > SCHEMA_VERSION) throw new NewerSchemaError(found);
  if (found >= target) return found;
  // IMMEDIATE takes the write lock first: a second shard waits, then sees the new version.
  db.transaction(() => {
    const version = current();
    for (let n = version; n < target; n++) db.exec(MIGRATIONS[n] as string);
    if (version < target) db.pragma(`user_version = ${target}`);
  }).immediate();
  return found;
}
