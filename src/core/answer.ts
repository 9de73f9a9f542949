/**
 * Answers a question: the best passage first, up to four more, and an explicit "not covered"
 * when no passage answers it with confidence (see ranking.ts for how passages are ranked).
 *
 * The best passage is offered only if it covers enough of the question's weight and, when the
 * question asks for a number or a date, states one. Otherwise the answer says so rather than
 * returning whatever scored highest.
 */
import { type Citation, citationOf, type PassageIndex } from "./passage-index.js";
import { type Candidate, DEFAULT_TUNING, rank, type Tuning } from "./ranking.js";

export interface AnswerOptions {
  /** Only consider passages from this outlet (exact name, as in `/source`). */
  outlet?: string;
  /** How many results to return; at most 5. */
  limit?: number;
  tuning?: Tuning;
}

/** One passage offered as an answer. */
export interface AnswerResult {
  text: string;
  citation: Citation;
  /** Relative score; higher is better. Comparable only within one answer. */
  score: number;
  /** Share of the question's weight this passage covers, 0 to 1. */
  coverage: number;
  /** The sentence of the passage that best answers the question, as offsets into `text`. */
  highlight: { start: number; end: number };
}

export type DeclineReason =
  /** The question has no searchable words (only stop words or punctuation). */
  | "no-terms"
  /** Nothing in the coverage matches the question's words. */
  | "no-match"
  /** Something matched, but not enough of the question to be an answer. */
  | "low-confidence"
  /** The outlet option names no outlet in the coverage. */
  | "unknown-outlet";

export interface Answer {
  question: string;
  answered: boolean;
  /** Best first; empty when not answered. */
  results: AnswerResult[];
  reason?: DeclineReason;
}

export const MAX_RESULTS = 5;

/** Whether a candidate is good enough to offer as an answer. */
export function isConfident(candidate: Candidate, tuning: Tuning = DEFAULT_TUNING): boolean {
  if (!tuning.coverageRule) return candidate.score > 0;
  return candidate.coverage >= tuning.minCoverage && candidate.statesExpectedFact;
}

/**
 * Answers a question: the best passage first and up to four more, or `answered: false`
 * with the reason when the coverage holds no confident answer.
 */
export function answer(index: PassageIndex, question: string, options: AnswerOptions = {}): Answer {
  if (options.outlet !== undefined && !index.outlets.some((o) => o.name === options.outlet)) {
    return { question, answered: false, results: [], reason: "unknown-outlet" };
  }
  const ranking = rank(index, question, options);
  if (ranking.terms.length === 0)
    return { question, answered: false, results: [], reason: "no-terms" };
  const [top] = ranking.candidates;
  if (top === undefined) return { question, answered: false, results: [], reason: "no-match" };
  const tuning = options.tuning ?? DEFAULT_TUNING;
  if (!isConfident(top, tuning)) {
    return { question, answered: false, results: [], reason: "low-confidence" };
  }
  const limit = Math.max(1, Math.min(options.limit ?? MAX_RESULTS, MAX_RESULTS));
  // Further passages are offered only if each would be a confident answer on its own.
  const results = ranking.candidates.filter((c) => isConfident(c, tuning)).slice(0, limit);
  return { question, answered: true, results: results.map(toResult) };
}

/**
 * The best passage on the question from each outlet that covers it, best first. An outlet
 * whose best passage is not a confident answer is left out.
 */
export function answerByOutlet(
  index: PassageIndex,
  question: string,
  options: { tuning?: Tuning } = {},
): AnswerResult[] {
  const ranking = rank(index, question, { ...options, depth: 200 });
  const seen = new Set<string>();
  const results: AnswerResult[] = [];
  for (const candidate of ranking.candidates) {
    const outlet = candidate.passage.article.outlet;
    if (seen.has(outlet)) continue;
    seen.add(outlet);
    if (isConfident(candidate, options.tuning)) results.push(toResult(candidate));
  }
  return results;
}

function toResult(candidate: Candidate): AnswerResult {
  return {
    text: candidate.passage.text,
    citation: citationOf(candidate.passage),
    score: Math.round(candidate.score * 1000) / 1000,
    coverage: Math.round(candidate.coverage * 1000) / 1000,
    highlight: candidate.sentence,
  };
}
