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
  /** Credit for a question word found only in the article's headline or outlet (0 turns it off). */
  headlineCredit: number;
  /** Credit for a question word found only in the paragraph before (0 turns it off). */
  neighbourCredit: number;
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
  headlineCredit: 0.5,
  // News copy often names the speaker, or the interview, one paragraph before the quotation.
  neighbourCredit: 1,
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
const RERANK_DEPTH = 20;
/** Stand-ins in more than this share of the paragraphs are not searched for… */
const STAND_IN_MAX_SHARE = 0.005;
/** …unless they are in fewer paragraphs than this (small corpora keep every stand-in). */
const STAND_IN_MIN_LIMIT = 20;
/** Credit of a related word when the question's own word never occurs in the coverage. */
const STAND_IN_CREDIT = 0.8;
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
    for (const [term, credit] of questionCredits(
      index,
      passage,
      result,
      weights,
      standIns,
      tuning,
    )) {
      covered += (weights.get(term) ?? 0) * credit;
    }
    const coverage = totalWeight > 0 ? covered / totalWeight : 0;
    const sentence = bestSentence(index, passage, result, weights, standIns);
    const fit = answerFit(passage.text.slice(sentence.start, sentence.end), passage.text, expected);

    let score = (result.score / best) ** 0.75;
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
  // A stand-in found in a large share of the paragraphs tells little about any of them, and
  // searching for it costs a scan of all of them.
  const standInLimit = Math.max(STAND_IN_MIN_LIMIT, STAND_IN_MAX_SHARE * n);
  const add = (other: string, source: string, credit: number) => {
    const df = documentFrequency.get(other) ?? 0;
    if (weights.has(other) || df === 0 || df > standInLimit) return;
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

/**
 * Which question terms MiniSearch also matches with a typo or as a prefix. Only a word the
 * coverage does not contain can be a typo worth correcting, or the start of a longer word:
 * expanding known words costs a search of every similar word and mostly finds noise.
 */
export function expansions(
  index: PassageIndex,
  tuning: Tuning = DEFAULT_TUNING,
): { fuzzy: (term: string) => number; prefix: (term: string) => boolean } {
  const unknown = (term: string) => !index.documentFrequency.has(term) && /^\p{L}+$/u.test(term);
  return {
    fuzzy: (term) =>
      tuning.fuzzy && unknown(term) ? (term.length >= 8 ? 2 : term.length >= 5 ? 1 : 0) : 0,
    prefix: (term) => tuning.prefix && unknown(term) && term.length >= 5,
  };
}

function search(
  index: PassageIndex,
  terms: string[],
  standIns: ReadonlyMap<string, StandIn>,
  tuning: Tuning,
  outlet: string | undefined,
): SearchResult[] {
  const { passages } = index;
  const queries: object[] = [{ queries: terms, ...expansions(index, tuning) }];
  if (standIns.size > 0) {
    queries.push({
      queries: [...standIns.keys()],
      boostTerm: (term: string) => standIns.get(term)?.credit ?? 0,
    });
  }
  // MiniSearch's typings accept only strings in `queries`, although it takes nested queries.
  return index.search.search({ combineWith: "OR", queries } as never, {
    ...(outlet !== undefined && {
      filter: (r: SearchResult) => passages[r.id as number]?.article.outlet === outlet,
    }),
  });
}

/**
 * How much of each question term a passage covers: 1 for the word itself (or a typo or prefix
 * of it), a stand-in's credit for a stand-in, and partial credit for a word found only in the
 * article's headline or outlet (a headline word shared by most articles, such as the
 * presidents' names, earns almost nothing) or in the paragraph before.
 */
function questionCredits(
  index: PassageIndex,
  passage: Passage,
  result: SearchResult,
  weights: ReadonlyMap<string, number>,
  standIns: ReadonlyMap<string, StandIn>,
  tuning: Tuning,
): Map<string, number> {
  const credits = new Map<string, number>();
  const give = (term: string, credit: number) => {
    if (credit > (credits.get(term) ?? 0)) credits.set(term, credit);
  };
  // MiniSearch reports a typo or prefix match under the question word that was expanded.
  for (const queryTerm of result.queryTerms) {
    if (weights.has(queryTerm)) give(queryTerm, 1);
    const standIn = standIns.get(queryTerm);
    if (standIn) for (const source of standIn.sources) give(source, standIn.credit);
  }
  if (credits.size === weights.size) return credits;

  const headline = index.headlineTerms.get(passage.article);
  const articles = Math.max(1, index.articles.length);
  const before = tuning.neighbourCredit > 0 ? neighbourTerms(index, passage) : undefined;
  const elsewhere = (term: string): number => {
    let credit = 0;
    if (headline?.has(term)) {
      credit = tuning.headlineCredit * (1 - (index.headlineFrequency.get(term) ?? 0) / articles);
    }
    if (before?.has(term)) credit = Math.max(credit, tuning.neighbourCredit);
    return credit;
  };
  for (const term of weights.keys()) {
    if (credits.has(term)) continue;
    give(term, elsewhere(term));
  }
  for (const [other, standIn] of standIns) {
    const credit = elsewhere(other) * standIn.credit;
    if (credit > 0) for (const source of standIn.sources) give(source, credit);
  }
  return credits;
}

interface SentenceSpan {
  start: number;
  end: number;
  terms: ReadonlySet<string>;
}

interface PassageTerms {
  sentences: SentenceSpan[];
  /** All terms of the passage. */
  terms: ReadonlySet<string>;
}

// Passages analyzed into sentences and terms, when first re-scored. The cache is per index and
// small: a large corpus would otherwise end up analyzed twice in memory.
const analysisCaches = new WeakMap<PassageIndex, Map<number, PassageTerms>>();
const ANALYSIS_CACHE_SIZE = 2000;

function analysisOf(index: PassageIndex, passage: Passage): PassageTerms {
  let cache = analysisCaches.get(index);
  if (cache === undefined) {
    cache = new Map();
    analysisCaches.set(index, cache);
  }
  const cached = cache.get(passage.id);
  if (cached) return cached;
  const sentences: SentenceSpan[] = [];
  const terms = new Set<string>();
  let from = 0;
  for (const sentence of splitSentences(passage.text)) {
    const start = passage.text.indexOf(sentence, from);
    const end = start + sentence.length;
    from = end;
    const sentenceTerms = new Set(index.analyzer.terms(sentence));
    for (const term of sentenceTerms) terms.add(term);
    sentences.push({ start, end, terms: sentenceTerms });
  }
  const analysis = { sentences, terms };
  if (cache.size >= ANALYSIS_CACHE_SIZE) cache.delete(cache.keys().next().value as number);
  cache.set(passage.id, analysis);
  return analysis;
}

/** The terms of the paragraph before `passage` in its article, if there is one. */
function neighbourTerms(index: PassageIndex, passage: Passage): ReadonlySet<string> | undefined {
  const previous = index.passages[passage.id - 1];
  return previous && previous.article === passage.article
    ? analysisOf(index, previous).terms
    : undefined;
}

/** The sentence that covers the most question weight; ties go to the earlier sentence. */
function bestSentence(
  index: PassageIndex,
  passage: Passage,
  result: SearchResult,
  weights: ReadonlyMap<string, number>,
  standIns: ReadonlyMap<string, StandIn>,
): { start: number; end: number; weight: number } {
  const matched = new Set(result.terms);
  const smallest = Math.min(...weights.values());
  let best = { start: 0, end: passage.text.length, weight: -1 };
  for (const span of analysisOf(index, passage).sentences) {
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
