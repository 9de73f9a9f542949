/**
 * Answers a question: the best passage first, up to four more, and an explicit "not covered"
 * when no passage answers it with confidence (see ranking.ts for how passages are ranked).
 *
 * The best passage is offered only when the estimated chance that it answers is high enough
 * (ranking-model.ts), and when it mentions what the question is about ("how tall", "which
 * hotel"). A moderate chance gives the closest passages, marked as not an answer. Otherwise
 * the answer says so rather than returning whatever scored highest.
 */
import { type Nearest, nearestIn } from "./nearest.js";
import { type Citation, citationOf, type PassageIndex } from "./passage-index.js";
import { type Candidate, DEFAULT_TUNING, type Ranking, rank, type Tuning } from "./ranking.js";
import type { ConfidenceInput } from "./ranking-model.js";
import { widenToQuotation } from "./text.js";

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
  /**
   * The sentence of the passage that best answers the question, as offsets into `text`; a
   * quotation and the clause that attributes it count as one sentence here.
   */
  highlight: { start: number; end: number };
}

export type DeclineReason =
  /** The question has no searchable words (only stop words or punctuation). */
  | "no-terms"
  /** Nothing in the coverage matches the question's words. */
  | "no-match"
  /** Something matched, but not enough of the question to be an answer. */
  | "low-confidence"
  /**
   * Passages come close, but not close enough to be sure: `results` holds the closest ones,
   * for the reader to judge.
   */
  | "unsure"
  /** The passages are about the question's subject but never state what it asks ("how tall"). */
  | "not-stated"
  /** The outlet option names no outlet in the coverage. */
  | "unknown-outlet";

export interface Answer {
  question: string;
  answered: boolean;
  /** Best first; empty when not answered, except the closest passages when `reason` is "unsure". */
  results: AnswerResult[];
  reason?: DeclineReason;
  /** Estimated chance, 0 to 1, that the first passage answers the question. */
  confidence?: number;
  /**
   * When declined (not "unsure", which shows the closest passages instead): the closest
   * article and the question's words it uses, for the reply to say what the coverage is near.
   */
  nearest?: Nearest;
}

export const MAX_RESULTS = 5;

/**
 * What the confidence is estimated from, for the best candidate of a ranking: its features,
 * how far it leads the second, and how much of the question the coverage never mentions.
 */
export function confidenceInput(ranking: Ranking): ConfidenceInput | undefined {
  const [top, second] = ranking.candidates;
  if (top === undefined) return undefined;
  const lead = second === undefined ? 4 : Math.min(4, Math.max(0, top.score - second.score));
  return { ...top.features, margin: lead / 4, unknown: ranking.unknown };
}

/** The estimated chance that the best candidate of a ranking answers its question. */
export function confidenceOf(ranking: Ranking, tuning: Tuning = DEFAULT_TUNING): number {
  const input = confidenceInput(ranking);
  return input === undefined ? 0 : tuning.model.confidence(input);
}

/**
 * Whether a passage states what the question asks for, when the question's form says: a
 * number for "how many", a length of time for "how long", a date for "when", the attribute and its owner for "how tall is Xi";
 * and, whatever the question, at least one of its own words.
 */
function statesWhatIsAsked(candidate: Candidate, ranking: Ranking): boolean {
  const { expected } = ranking;
  const wantsFact = expected === "number" || expected === "duration" || expected === "date";
  if (wantsFact && candidate.features.kind === 0) {
    return false;
  }
  // A passage that shares none of the question's own words (only stand-ins) answers another
  // question.
  return candidate.features.attribute === 1 && candidate.features.exact > 0;
}

/**
 * The ranking without the passages that cannot answer the question's form; empty when the
 * best passage cannot. (Letting a lower passage that merely states some number answer "how
 * many" declined fewer unanswerable tune questions at no gain in answers.)
 */
export function answeringCandidates(ranking: Ranking): Ranking {
  const [top] = ranking.candidates;
  if (top === undefined || !statesWhatIsAsked(top, ranking)) return { ...ranking, candidates: [] };
  return {
    ...ranking,
    candidates: ranking.candidates.filter((c) => statesWhatIsAsked(c, ranking)),
  };
}

/** Whether a passage would be offered on its own, without the lead over the others. */
function passable(candidate: Candidate, ranking: Ranking, tuning: Tuning): boolean {
  const input = { ...candidate.features, margin: 0, unknown: ranking.unknown };
  return tuning.model.confidence(input) >= tuning.model.unsureAt;
}

/**
 * Answers a question: the best passage first and up to four more, or `answered: false`
 * with the reason when the coverage holds no confident answer.
 */
export function answer(index: PassageIndex, question: string, options: AnswerOptions = {}): Answer {
  if (options.outlet !== undefined && !index.outlets.some((o) => o.name === options.outlet)) {
    return { question, answered: false, results: [], reason: "unknown-outlet" };
  }
  const ranked = rank(index, question, options);
  if (ranked.terms.length === 0)
    return { question, answered: false, results: [], reason: "no-terms" };
  if (ranked.candidates.length === 0) {
    return { question, answered: false, results: [], reason: "no-match" };
  }
  const tuning = options.tuning ?? DEFAULT_TUNING;
  const limit = Math.max(1, Math.min(options.limit ?? MAX_RESULTS, MAX_RESULTS));
  const offered = ({ candidates }: Ranking, count = limit) => {
    const [first, ...rest] = candidates;
    if (first === undefined) return [];
    const others = rest.filter((c) => passable(c, ranked, tuning)).slice(0, count - 1);
    return [first, ...others].map(toResult);
  };
  if (!tuning.confidenceRule) return { question, answered: true, results: offered(ranked) };

  const ranking = answeringCandidates(ranked);
  const confidence = Math.round(confidenceOf(ranking, tuning) * 1000) / 1000;
  const declined = (reason: DeclineReason): Answer => {
    // Worked out here from the ranking at hand rather than asked for again by the reply.
    const nearest = reason === "unsure" ? undefined : nearestIn(index, question, ranked);
    return {
      question,
      answered: false,
      results: [],
      reason,
      confidence,
      ...(nearest !== undefined && { nearest }),
    };
  };
  if (ranking.candidates.length === 0) return declined("not-stated");
  if (confidence >= tuning.model.answerAt) {
    return { question, answered: true, results: offered(ranking), confidence };
  }
  if (confidence >= tuning.model.unsureAt) {
    return { ...declined("unsure"), results: offered(ranking, 3) };
  }
  return declined("low-confidence");
}

/**
 * The best passage on the question from each outlet that covers it, best first. An outlet
 * whose best passage would not be offered as an answer on its own is left out.
 */
export function answerByOutlet(
  index: PassageIndex,
  question: string,
  options: { tuning?: Tuning } = {},
): AnswerResult[] {
  const tuning = options.tuning ?? DEFAULT_TUNING;
  const ranking = rank(index, question, { ...options, depth: 200 });
  const seen = new Set<string>();
  const results: AnswerResult[] = [];
  for (const candidate of ranking.candidates) {
    const outlet = candidate.passage.article.outlet;
    if (seen.has(outlet)) continue;
    seen.add(outlet);
    if (statesWhatIsAsked(candidate, ranking) && passable(candidate, ranking, tuning)) {
      results.push(toResult(candidate));
    }
  }
  return results;
}

function toResult(candidate: Candidate): AnswerResult {
  return {
    text: candidate.passage.text,
    citation: citationOf(candidate.passage),
    score: Math.round(candidate.score * 1000) / 1000,
    coverage: Math.round(candidate.coverage * 1000) / 1000,
    // The ranking scores single sentences; what is shown in bold is the reader's unit, a
    // quotation together with the clause that attributes it.
    highlight: widenToQuotation(candidate.passage.text, candidate.sentence),
  };
}
