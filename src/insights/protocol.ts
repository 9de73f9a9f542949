/** Messages between the question log's client (`question-log.ts`) and its thread (`log-thread.ts`). */
import type { LogProblem } from "./problems.js";
import type { AskEntry, LogSummary, VoteEntry } from "./store.js";

export interface LogThreadStart {
  dataDir: string;
  /** Rows older than this many days are pruned, at start and daily. */
  keepDays: number;
}

export type ToLogThread =
  /** The rows recorded since the last message: one message per turn of the event loop. */
  | { kind: "rows"; asks: AskEntry[]; votes: VoteEntry[] }
  | { kind: "summary"; id: number; days: number }
  /** Write what is queued now; answered once it is written or has failed. */
  | { kind: "flush"; id: number };

export type FromLogThread =
  | { kind: "summary"; id: number; summary?: LogSummary; problem?: LogProblem }
  | { kind: "flushed"; id: number }
  /** The problem now (undefined: writes succeed again). */
  | { kind: "status"; problem?: LogProblem };
