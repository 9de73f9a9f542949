/**
 * What can go wrong with the question log's database, in words an admin can act on. The log
 * never fails an answer: a problem is logged (at most once a minute) and shown by /insights.
 */
import { NewerSchemaError } from "./migrations.js";

export type ProblemKind = "locked" | "full" | "read-only" | "corrupt" | "unavailable" | "newer";

export interface LogProblem {
  kind: ProblemKind;
  /** One sentence for the admin: what is wrong and what to do. */
  message: string;
  /** When the problem started, as an ISO time. */
  since: string;
  /** Answers and votes waiting to be stored: kept, and retried every second. */
  waiting: number;
  /** Answers and votes dropped since the problem started, when too many were waiting. */
  dropped: number;
}

const MESSAGES: Record<ProblemKind, string> = {
  locked: "the database stayed locked by another process; writes are retried",
  full: "the disk (or the database's size limit) is full; free some space",
  "read-only":
    "the database cannot be written (read-only file, folder or disk); check DATA_DIR's permissions",
  corrupt:
    "the database file is damaged; move it away and the bot starts a new one (or restore a copy)",
  unavailable: "the database cannot be opened; check that DATA_DIR exists and can be written",
  newer: "the database was written by a newer version of the bot; upgrade the bot",
};

/** The kind of problem an error from SQLite or the file system is. */
export function classify(error: unknown): ProblemKind {
  if (error instanceof NewerSchemaError) return "newer";
  const code = String((error as { code?: unknown })?.code ?? "");
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return "locked";
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT") return "full";
  if (/^SQLITE_READONLY/.test(code) || ["EROFS", "EACCES", "EPERM"].includes(code)) {
    return "read-only";
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return "corrupt";
  return "unavailable";
}

export function describe(kind: ProblemKind): string {
  return MESSAGES[kind];
}
