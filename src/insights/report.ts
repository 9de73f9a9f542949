/**
 * What /insights and `npm run insights` show: the log's summary for a period with the declined
 * questions grouped by their analysed terms, and the database's problem, if it has one.
 */
import { type DeclinedGroup, groupDeclined } from "./grouping.js";
import type { LogProblem } from "./problems.js";
import type { SummaryResult } from "./question-log.js";
import type { LogSummary } from "./store.js";

export interface InsightsReport {
  days: number;
  summary?: Omit<LogSummary, "declined"> & { declined: DeclinedGroup[] };
  problem?: LogProblem;
}

/** Analyses texts into terms: the desk's `terms()`, i.e. the core analyzer's. */
export type TermsOf = (texts: string[]) => Promise<string[][]>;

export async function buildReport(
  days: number,
  result: SummaryResult,
  termsOf: TermsOf,
): Promise<InsightsReport> {
  const { summary, problem } = result;
  if (!summary) return { days, ...(problem && { problem }) };
  const terms = await termsOf(summary.declined.map((d) => d.question));
  return {
    days,
    summary: { ...summary, declined: groupDeclined(summary.declined, terms) },
    ...(problem && { problem }),
  };
}
