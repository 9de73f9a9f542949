/**
 * What the articles do cover near a question they do not answer: the closest passage's
 * article, and which of the question's own words it uses, for a "did you mean" in a decline.
 */
import type { PassageIndex } from "./passage-index.js";
import type { Ranking } from "./ranking.js";

/** The article closest to a question, and the question's words that it uses. */
export interface Nearest {
  headline: string;
  outlet: string;
  /** The question's own words (as typed) that the closest passage or its headline uses. */
  words: string[];
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/**
 * The article of the best-ranked passage of `ranking` (the question's), with the question's
 * words it shares; `undefined` when nothing in the coverage matches any of them.
 */
export function nearestIn(
  index: PassageIndex,
  question: string,
  ranking: Ranking,
): Nearest | undefined {
  const [top] = ranking.candidates;
  if (top === undefined) return undefined;
  const { article } = top.passage;
  const known = new Set(index.analyzer.terms(`${article.headline} ${top.passage.text}`));
  const words: string[] = [];
  const seen = new Set<string>();
  for (const word of question.match(WORD) ?? []) {
    const terms = index.analyzer.terms(word);
    const key = terms.join(" ");
    if (terms.length === 0 || seen.has(key) || !terms.some((t) => known.has(t))) continue;
    seen.add(key);
    words.push(word);
  }
  if (words.length === 0) return undefined;
  return { headline: article.headline, outlet: article.outlet, words };
}
