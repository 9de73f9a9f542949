/**
 * Ranking: which passages answer a question best, and the evidence for each.
 *
 * 1. The question is analyzed like the articles (aliases, stop words, stemming). The words
 *    that only ask for a kind of answer ("how many", "what date") are set aside: they say what
 *    to look for, not what it is about.
 * 2. Each remaining word counts by how rare it is, in the coverage (inverse document frequency)
 *    and in everyday English (so "want" counts less than "summit").
 * 3. Each word also searches its stand-ins at a lower weight: related words from the alias
 *    table and WordNet synonyms, when they occur in the coverage. Words of five letters or more
 *    also match one typo, and longer words that start with them.
 * 4. MiniSearch scores paragraphs with BM25 over the paragraph, its headline and outlet, and the
 *    paragraph before it (who said a quotation is often there). The best few dozen are re-scored
 *    by how much of the question's weight they cover, whether the matched words sit in one
 *    sentence, and whether they state the kind of fact asked for.
 */
import type { SearchResult } from "minisearch";
import type { Passage, PassageIndex } from "./passage-index.js";
import {
  answerFit,
  type ExpectedAnswer,
  expectedAnswer,
  withoutAnswerForm,
} from "./question-type.js";
import { splitSentences } from "./text.js";

/** The knobs of the ranking; each can be turned off to measure what it adds (`npm run eval -- --levers`). */
export interface Tuning {
  /** Let words of 5+ letters match one typo (8+ letters: two). */
  fuzzy: boolean;
  /** Let words of 5+ letters match longer words that start with them. */
  prefix: boolean;
  /** Weight of the alias table's related words (0 turns them off). */
  relatedWeight: number;
  /** Weight of WordNet synonyms, relative to related words (0 turns them off). */
  synonymWeight: number;
  /** Weight of the headline-and-outlet field relative to the paragraph (0 turns it off). */
  headlineBoost: number;
  /** Weight of the previous paragraph relative to the paragraph (0 turns it off). */
  contextBoost: number;
  /** Re-score by coverage of the question, sentence proximity and expected kind of answer. */
  rerank: boolean;
  /** Decline when the best passage covers too little of the question. */
  coverageRule: boolean;
  /** Minimum share of the question's weight a passage must cover to be offered as an answer. */
  minCoverage: number;
}

export const DEFAULT_TUNING: Readonly<Tuning> = Object.freeze({
  fuzzy: true,
  prefix: true,
  relatedWeight: 0.5,
  synonymWeight: 0.6,
  headlineBoost: 0.1,
  contextBoost: 0.1,
  rerank: true,
  coverageRule: true,
  minCoverage: 0.3,
});

/** A scored passage with the evidence the answer decision uses. */
export interface Candidate {
  passage: Passage;
  score: number;
  /** Share of the question's weight this passage covers, 0 to 1. */
  coverage: number;
  /**
   * False when the question asks for a number or a date and the passage states none: such a
   * passage is never offered as the answer. (A missing quotation only lowers the score.)
   */
  statesExpectedFact: boolean;
  /** The sentence that best matches the question, as offsets into the passage text. */
  sentence: { start: number; end: number };
}

export interface Ranking {
  /** The question's index terms. */
  terms: string[];
  expected: ExpectedAnswer;
  /** Best first. */
  candidates: Candidate[];
}

/** How many of MiniSearch's results are re-scored. */
const RERANK_DEPTH = 30;
/** Credit of a related word when the question's own word never occurs in the coverage. */
const STAND_IN_CREDIT = 0.8;
/** Credit of a word matched only in the headline, before discounting words most headlines share. */
const HEADLINE_CREDIT = 0.5;
/** Credit of a word matched only in the paragraph before. */
const NEIGHBOUR_CREDIT = 0.5;
/** Score multiplier of a passage that does not state the kind of fact asked for. */
const WRONG_KIND = 0.25;
/** Share of the score that depends on the matched words sitting in one sentence. */
const PROXIMITY = 0.25;

interface StandIn {
  /** The question terms it stands in for. */
  sources: string[];
  credit: number;
}

interface QuestionTerms {
  terms: string[];
  weights: Map<string, number>;
  standIns: Map<string, StandIn>;
}

/** Ranks passages for a question without deciding whether the best one is an answer. */
export function rank(
  index: PassageIndex,
  question: string,
  options: { outlet?: string; depth?: number; tuning?: Tuning } = {},
): Ranking {
  const tuning = options.tuning ?? DEFAULT_TUNING;
  const expected = expectedAnswer(question);
  const { terms, weights, standIns } = questionTerms(index, withoutAnswerForm(question), tuning);
  if (terms.length === 0) return { terms, expected, candidates: [] };

  const results = search(index, terms, standIns, tuning, options.outlet);
  const top = results.slice(0, tuning.rerank ? (options.depth ?? RERANK_DEPTH) : 5);
  const best = top[0]?.score ?? 1;
  let totalWeight = 0;
  for (const w of weights.values()) totalWeight += w;

  const candidates = top.map((result): Candidate => {
    const passage = index.passages[result.id as number] as Passage;
    let covered = 0;
    for (const [term, credit] of questionCredits(index, result, weights, standIns)) {
      covered += (weights.get(term) ?? 0) * credit;
    }
    const coverage = totalWeight > 0 ? covered / totalWeight : 0;
    const sentence = bestSentence(index, passage, result, weights, standIns);
    const fit = answerFit(passage.text.slice(sentence.start, sentence.end), passage.text, expected);

    let score = result.score / best;
    if (tuning.rerank) {
      const proximity = covered > 0 ? Math.min(1, sentence.weight / covered) : 0;
      score *=
        coverage ** 2 *
        (1 - PROXIMITY + PROXIMITY * proximity) *
        (WRONG_KIND + (1 - WRONG_KIND) * fit);
    }
    return {
      passage,
      score,
      coverage,
      statesExpectedFact: fit > 0 || expected === "statement",
      sentence: { start: sentence.start, end: sentence.end },
    };
  });
  candidates.sort((a, b) => b.score - a.score);
  return { terms, expected, candidates };
}

/** The question's terms, what each weighs, and the words that stand in for them. */
function questionTerms(index: PassageIndex, question: string, tuning: Tuning): QuestionTerms {
  const { analyzer, documentFrequency } = index;
  const n = index.passages.length;
  const weights = new Map<string, number>();
  const tokensOf = new Map<string, string[]>();
  for (const token of analyzer.tokenize(question)) {
    const term = analyzer.processTerm(token);
    if (term === null) continue;
    // Inverse document frequency, so that "jajangmyeon" outweighs "lee"; a word the coverage
    // never uses counts as much as the rarest word. Then scaled by everyday-English rarity.
    const df = Math.max(1, documentFrequency.get(term) ?? 0);
    const weight = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * analyzer.rarity(token);
    weights.set(term, Math.min(weights.get(term) ?? Number.POSITIVE_INFINITY, weight));
    tokensOf.set(term, [...(tokensOf.get(term) ?? []), token]);
  }

  const standIns = new Map<string, StandIn>();
  const add = (other: string, source: string, credit: number) => {
    if (weights.has(other) || !documentFrequency.has(other)) return;
    const entry = standIns.get(other) ?? { sources: [], credit: 0 };
    if (!entry.sources.includes(source)) entry.sources.push(source);
    entry.credit = Math.max(entry.credit, credit);
    standIns.set(other, entry);
  };
  for (const [term, tokens] of tokensOf) {
    // A stand-in counts for more when the question's own word is not in the coverage at all:
    // then it is the only way to find what was meant.
    const base = documentFrequency.has(term) ? tuning.relatedWeight : STAND_IN_CREDIT;
    if (tuning.relatedWeight > 0)
      for (const other of analyzer.related(term)) add(other, term, base);
    if (tuning.synonymWeight > 0) {
      for (const token of tokens) {
        for (const synonym of analyzer.synonyms(token)) {
          for (const other of analyzer.terms(synonym))
            add(other, term, base * tuning.synonymWeight);
        }
      }
    }
  }
  return { terms: [...weights.keys()], weights, standIns };
}

function search(
  index: PassageIndex,
  terms: string[],
  standIns: ReadonlyMap<string, StandIn>,
  tuning: Tuning,
  outlet: string | undefined,
): SearchResult[] {
  const queries: object[] = [
    {
      queries: terms,
      fuzzy: (term: string) =>
        tuning.fuzzy && /^\p{L}+$/u.test(term)
          ? term.length >= 8
            ? 2
            : term.length >= 5
              ? 1
              : 0
          : 0,
      prefix: (term: string) => tuning.prefix && term.length >= 5,
    },
  ];
  if (standIns.size > 0) {
    queries.push({
      queries: [...standIns.keys()],
      boostTerm: (term: string) => standIns.get(term)?.credit ?? 0,
    });
  }
  const fields = ["text"];
  if (tuning.headlineBoost > 0) fields.push("headline");
  if (tuning.contextBoost > 0) fields.push("context");
  const { passages } = index;
  // MiniSearch's typings accept only strings in `queries`, although it takes nested queries.
  return index.search.search({ combineWith: "OR", queries } as never, {
    fields,
    boost: { text: 1, headline: tuning.headlineBoost, context: tuning.contextBoost },
    ...(outlet !== undefined && {
      filter: (r: SearchResult) => passages[r.id as number]?.article.outlet === outlet,
    }),
  });
}

/**
 * How much of each question term a result matched: 1 for the word itself (or a typo or prefix
 * of it) in the paragraph, a stand-in's credit for a stand-in, and partial credit for a word
 * found only in the headline or the paragraph before. A headline word shared by most articles
 * (the presidents' names) earns almost nothing.
 */
function questionCredits(
  index: PassageIndex,
  result: SearchResult,
  weights: ReadonlyMap<string, number>,
  standIns: ReadonlyMap<string, StandIn>,
): Map<string, number> {
  const credits = new Map<string, number>();
  const give = (term: string, credit: number) => {
    if (credit > (credits.get(term) ?? 0)) credits.set(term, credit);
  };
  // Typos and prefixes match index terms that are neither question words nor stand-ins, and
  // MiniSearch does not say which question word they came from; judge them together.
  const inexactInText = result.terms.some(
    (t) => !weights.has(t) && !standIns.has(t) && fieldsOf(result, t)?.includes("text"),
  );
  for (const queryTerm of result.queryTerms) {
    const fields = fieldsOf(result, queryTerm);
    let place = 0;
    if (fields ? fields.includes("text") : inexactInText) {
      place = 1;
    } else {
      if (fields === undefined || fields.includes("context")) place = NEIGHBOUR_CREDIT;
      if (fields?.includes("headline")) {
        const share =
          (index.headlineFrequency.get(queryTerm) ?? 0) / Math.max(1, index.articles.length);
        place = Math.max(place, HEADLINE_CREDIT * (1 - share));
      }
    }
    if (weights.has(queryTerm)) give(queryTerm, place);
    const standIn = standIns.get(queryTerm);
    if (standIn) for (const source of standIn.sources) give(source, standIn.credit * place);
  }
  return credits;
}

/**
 * The fields an index term matched in. `match` is a plain object, so a term such as
 * "constructor" must not be read through its prototype.
 */
function fieldsOf(result: SearchResult, term: string): string[] | undefined {
  return Object.hasOwn(result.match, term) ? result.match[term] : undefined;
}

interface SentenceSpan {
  start: number;
  end: number;
  terms: ReadonlySet<string>;
}

// Sentences of a passage with their terms, computed when a passage is first ranked. The cache
// is per index and bounded, because a large corpus would otherwise end up cached whole.
const sentenceCaches = new WeakMap<PassageIndex, Map<number, SentenceSpan[]>>();
const SENTENCE_CACHE_SIZE = 20_000;

function sentencesOf(index: PassageIndex, passage: Passage): SentenceSpan[] {
  let cache = sentenceCaches.get(index);
  if (cache === undefined) {
    cache = new Map();
    sentenceCaches.set(index, cache);
  }
  const cached = cache.get(passage.id);
  if (cached) return cached;
  const spans: SentenceSpan[] = [];
  let from = 0;
  for (const sentence of splitSentences(passage.text)) {
    const start = passage.text.indexOf(sentence, from);
    const end = start + sentence.length;
    from = end;
    spans.push({ start, end, terms: new Set(index.analyzer.terms(sentence)) });
  }
  if (cache.size >= SENTENCE_CACHE_SIZE) cache.delete(cache.keys().next().value as number);
  cache.set(passage.id, spans);
  return spans;
}

/** The sentence that covers the most question weight; ties go to the earlier sentence. */
function bestSentence(
  index: PassageIndex,
  passage: Passage,
  result: SearchResult,
  weights: ReadonlyMap<string, number>,
  standIns: ReadonlyMap<string, StandIn>,
): { start: number; end: number; weight: number } {
  const matched = new Set(result.terms.filter((t) => fieldsOf(result, t)?.includes("text")));
  const smallest = Math.min(...weights.values());
  let best = { start: 0, end: passage.text.length, weight: -1 };
  for (const span of sentencesOf(index, passage)) {
    const counted = new Map<string, number>();
    let inexact = 0;
    for (const term of span.terms) {
      if (!matched.has(term)) continue;
      const standIn = standIns.get(term);
      if (weights.has(term)) {
        counted.set(term, 1);
      } else if (standIn) {
        for (const source of standIn.sources) {
          counted.set(source, Math.max(counted.get(source) ?? 0, standIn.credit));
        }
      } else {
        // A typo or prefix match stands for some question word; count the least informative.
        inexact += smallest;
      }
    }
    let weight = inexact;
    for (const [term, credit] of counted) weight += (weights.get(term) ?? 0) * credit;
    if (weight > best.weight) best = { start: span.start, end: span.end, weight };
  }
  return { ...best, weight: Math.max(0, best.weight) };
}
