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
import type { TermPostings } from "./postings.js";
import {
  answerFit,
  type ExpectedAnswer,
  expectedAnswer,
  questionFocus,
  withoutAnswerForm,
} from "./question-type.js";
import { DEFAULT_MODEL, type RankingModel } from "./ranking-model.js";
import { type QueryGroup, type Retrieved, retrieve } from "./retrieval.js";
import { splitSentences } from "./text.js";
import type { PreparedWords } from "./word-vectors.js";

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
  /** Weight of WordNet words of the same root ("negotiator" for negotiate), relative to related words. */
  derivedWeight: number;
  /** Weight of WordNet broader and narrower words ("football" for soccer), relative to related words. */
  kinWeight: number;
  /** Look up two- and three-word phrases of the question in WordNet ("turn down" → refuse). */
  phrases: boolean;
  /** Credit for a question word found only in the article's headline or outlet (0 turns it off). */
  headlineCredit: number;
  /** Credit for a question word found only in the paragraph before (0 turns it off). */
  neighbourCredit: number;
  /**
   * Find the best passages by MaxScore (retrieval.ts), reading only what can change them; off,
   * MiniSearch scores every passage that matches. Both give the same passages: off is the
   * reference the pruning is checked against.
   */
  pruning: boolean;
  /** Re-score the best passages with the learned combination of their features. */
  rerank: boolean;
  /** Decline when the estimated chance that the best passage answers is too low. */
  confidenceRule: boolean;
  /** The learned weights of the features; see ranking-model.ts. */
  model: RankingModel;
}

export const DEFAULT_TUNING: Readonly<Tuning> = Object.freeze({
  fuzzy: true,
  prefix: true,
  relatedWeight: 0.5,
  synonymWeight: 0.6,
  derivedWeight: 0.5,
  kinWeight: 0.3,
  phrases: true,
  headlineCredit: 0.5,
  // News copy often names the speaker, or the interview, one paragraph before the quotation.
  neighbourCredit: 1,
  pruning: true,
  rerank: true,
  confidenceRule: true,
  model: DEFAULT_MODEL,
});

/**
 * What the ranking knows of one passage for one question, each from 0 to 1. The learned model
 * (ranking-model.ts) combines them into a score; their names are the keys of its weights.
 */
export interface Features {
  /** BM25 score relative to the best passage's. */
  retrieval: number;
  /** Share of the question's weight the passage covers, counting stand-ins and context. */
  coverage: number;
  /** Share of the question's weight covered by the question's own words in the passage itself. */
  exact: number;
  /** Share of the covered weight that sits in one sentence. */
  proximity: number;
  /** Whether the best sentence states the kind of fact asked for (number, date, name…). */
  kind: number;
  /** 1 when the question's focus ("how tall", "which hotel") is covered, or it names none. */
  focus: number;
  /** Like `focus`, for the attribute forms only ("how tall is", "what is X's Y"): 0 rules it out. */
  attribute: number;
  /** Weight of the most informative question word left uncovered, relative to the heaviest word. */
  missing: number;
  /**
   * Like `coverage`, but a question word the passage lacks counts by how close in meaning the
   * passage's nearest word is (word vectors): "handset" half covers "phone".
   */
  semantic: number;
  /** Share of the question's neighbouring word pairs that sit close together in the passage. */
  pairs: number;
  /** 1 for an article's first paragraph, 1/n for its n-th: news puts the main facts first. */
  opening: number;
  /** How close in meaning the passage comes to the question's focus (1 when covered or none). */
  focusNear: number;
  /** The passage's length in terms, over 60 (capped at 1). */
  length: number;
}

export const FEATURE_NAMES = [
  "retrieval",
  "coverage",
  "exact",
  "proximity",
  "kind",
  "focus",
  "missing",
  "semantic",
  "pairs",
  "opening",
  "focusNear",
  "length",
] as const satisfies ReadonlyArray<keyof Features>;

/** A scored passage with the evidence the answer decision uses. */
export interface Candidate {
  passage: Passage;
  /** The model's score (a log-odds); higher is better. */
  score: number;
  /** Share of the question's weight this passage covers, 0 to 1. */
  coverage: number;
  features: Features;
  /** The sentence that best matches the question, as offsets into the passage text. */
  sentence: { start: number; end: number };
}

export interface Ranking {
  /** The question's index terms. */
  terms: string[];
  /**
   * Share of the question's weight in words the coverage never uses and nothing stands in
   * for: what the question asks may simply not be there.
   */
  unknown: number;
  expected: ExpectedAnswer;
  /** Best first. */
  candidates: Candidate[];
}

/** Least credit with which a passage covers the question's focus (a synonym's, not a kin word's). */
const FOCUS_MIN_CREDIT = 0.4;
/** How many of MiniSearch's results are re-scored. */
const RERANK_DEPTH = 20;
/** Stand-ins in more than this share of the paragraphs are not searched for… */
const STAND_IN_MAX_SHARE = 0.005;
/** …unless they are in fewer paragraphs than this (small corpora keep every stand-in). */
const STAND_IN_MIN_LIMIT = 20;
/** Credit of a related word when the question's own word never occurs in the coverage. */
const STAND_IN_CREDIT = 0.8;

interface StandIn {
  /** The question terms it stands in for. */
  sources: string[];
  credit: number;
  /**
   * Whether it is searched for, or only counted in passages the search found: the alias
   * table's related words and synonyms are searched; WordNet's looser relatives only when the
   * question's own word is not in the coverage at all.
   */
  searched: boolean;
}

/** Everything about one question that scoring a passage needs, worked out once. */
interface QuestionContext {
  index: PassageIndex;
  tuning: Tuning;
  expected: ExpectedAnswer;
  terms: string[];
  weights: ReadonlyMap<string, number>;
  /** The question's terms in the order asked, for neighbouring pairs. */
  sequence: readonly string[];
  /** The question's own words (folded tokens) behind each term. */
  tokensOf: ReadonlyMap<string, readonly string[]>;
  totalWeight: number;
  heaviest: number;
  standIns: ReadonlyMap<string, StandIn>;
  /** Index terms of the question's focus; a passage should cover one of them. */
  focus: readonly string[];
  /**
   * For an attribute asked of something named ("how tall is Xi"): the index terms of what it
   * is asked of. A passage must cover the focus and all of these to state it.
   */
  subject: readonly string[] | undefined;
  /** The index's postings of the question's terms and stand-ins, looked up once per question. */
  postingsOf(term: string): TermPostings | undefined;
}

/** Ranks passages for a question without deciding whether the best one is an answer. */
export function rank(
  index: PassageIndex,
  question: string,
  options: { outlet?: string; depth?: number; tuning?: Tuning } = {},
): Ranking {
  const context = questionContext(index, question, options.tuning ?? DEFAULT_TUNING);
  const { terms, expected, tuning } = context;
  const unknown = unknownShare(context);
  if (terms.length === 0) return { terms, unknown, expected, candidates: [] };

  const depth = tuning.rerank ? (options.depth ?? RERANK_DEPTH) : 5;
  const top = !tuning.pruning
    ? searchEverything(context, options.outlet).slice(0, depth)
    : retrieve(index.postings, queryGroups(context), {
        limit: depth,
        ...(options.outlet !== undefined && {
          accept: (id: number) => index.passages[id]?.article.outlet === options.outlet,
        }),
      });
  const best = top[0]?.score ?? 1;
  const candidates = top.map((result): Candidate => {
    const passage = index.passages[result.id as number] as Passage;
    const { features, sentence } = featuresOf(context, passage, result, best);
    return {
      passage,
      score: tuning.rerank ? tuning.model.score(features) : features.retrieval,
      coverage: features.coverage,
      features,
      sentence,
    };
  });
  candidates.sort((a, b) => b.score - a.score);
  return { terms, unknown, expected, candidates };
}

function unknownShare({ index, weights, standIns, totalWeight }: QuestionContext): number {
  if (totalWeight === 0) return 0;
  const stoodIn = new Set([...standIns.values()].flatMap((s) => s.sources));
  let unknown = 0;
  for (const [term, weight] of weights) {
    if (!index.documentFrequency.has(term) && !stoodIn.has(term)) unknown += weight;
  }
  return unknown / totalWeight;
}

/** The question's terms, what each weighs, the words that stand in for them, and its focus. */
function questionContext(index: PassageIndex, question: string, tuning: Tuning): QuestionContext {
  const { analyzer, documentFrequency } = index;
  const n = index.passages.length;
  const weights = new Map<string, number>();
  const tokensOf = new Map<string, string[]>();
  const tokens = analyzer.tokenize(withoutAnswerForm(question));
  for (const token of tokens) {
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
  const add = (other: string, source: string, credit: number, close = true) => {
    const df = documentFrequency.get(other) ?? 0;
    if (credit <= 0 || weights.has(other) || df === 0 || df > standInLimit) return;
    const entry = standIns.get(other) ?? { sources: [], credit: 0, searched: false };
    if (!entry.sources.includes(source)) entry.sources.push(source);
    entry.credit = Math.max(entry.credit, credit);
    entry.searched ||= close || !documentFrequency.has(source);
    standIns.set(other, entry);
  };
  const addRelatives = (word: string, source: string, base: number) => {
    const relatives = analyzer.relatives(word);
    const groups: Array<[readonly string[], number, boolean]> = [
      [relatives.synonyms, tuning.synonymWeight, false],
      [relatives.derived, tuning.derivedWeight, false],
      [relatives.kin, tuning.kinWeight, false],
    ];
    for (const [words, share, close] of groups) {
      if (share <= 0) continue;
      for (const w of words)
        for (const other of analyzer.terms(w)) add(other, source, base * share, close);
    }
  };
  for (const [term, termTokens] of tokensOf) {
    // A stand-in counts for more when the question's own word is not in the coverage at all:
    // then it is the only way to find what was meant.
    const base = documentFrequency.has(term) ? tuning.relatedWeight : STAND_IN_CREDIT;
    if (tuning.relatedWeight > 0)
      for (const other of analyzer.related(term)) add(other, term, base);
    for (const token of termTokens) addRelatives(token, term, base);
  }
  // Phrasal verbs and idioms ("turn down", "see eye to eye") mean what their words do not;
  // their relatives stand in for the phrase's first content word.
  if (tuning.phrases) {
    for (let i = 0; i < tokens.length; i++) {
      for (const length of [4, 3, 2]) {
        if (i + length > tokens.length) continue;
        const phrase = tokens.slice(i, i + length).join(" ");
        const source = tokens
          .slice(i, i + length)
          .map(analyzer.processTerm)
          .find((t): t is string => t !== null && weights.has(t));
        if (source === undefined) continue;
        const before = standIns.size;
        addRelatives(phrase, source, STAND_IN_CREDIT);
        if (standIns.size > before) break;
      }
    }
  }

  let totalWeight = 0;
  let heaviest = 0;
  for (const w of weights.values()) {
    totalWeight += w;
    heaviest = Math.max(heaviest, w);
  }
  const expected = expectedAnswer(question);
  // "Which company" wants a company's name, not the word "company".
  const namesKind = expected === "person" || expected === "organization" || expected === "place";
  const asked = questionFocus(question);
  const focus = namesKind
    ? []
    : asked.words.flatMap((w) => analyzer.terms(w)).filter((t) => weights.has(t));
  const subject = asked.subject?.flatMap((w) => analyzer.terms(w)).filter((t) => weights.has(t));
  const postings = new Map<string, TermPostings | undefined>();
  return {
    index,
    tuning,
    expected,
    terms: [...weights.keys()],
    weights,
    sequence: tokens.map(analyzer.processTerm).filter((t): t is string => t !== null),
    tokensOf,
    totalWeight,
    heaviest,
    standIns,
    focus,
    subject,
    postingsOf: (term) => {
      if (!postings.has(term)) postings.set(term, index.postings.get(term));
      return postings.get(term);
    },
  };
}

/** The features of one passage for the question, and its best sentence. */
function featuresOf(
  context: QuestionContext,
  passage: Passage,
  result: Retrieved,
  best: number,
): { features: Features; sentence: { start: number; end: number } } {
  const { weights, totalWeight, heaviest, expected } = context;
  const credits = questionCredits(context, passage, result);
  let covered = 0;
  let exact = 0;
  let missing = 0;
  let near = 0;
  for (const [term, weight] of weights) {
    const credit = credits.get(term);
    covered += weight * (credit?.value ?? 0);
    if (credit?.exact) exact += weight;
    if (credit === undefined) missing = Math.max(missing, weight);
    near += weight * (credit?.exact ? 1 : closeness(context, term, passage));
  }
  const sentence = bestSentence(context, passage, result);
  const text = passage.text;
  // Broader and narrower words are too loose to state the focus: "long" does not say how tall.
  const focus =
    context.focus.length === 0 ||
    context.focus.some((t) => (credits.get(t)?.value ?? 0) >= FOCUS_MIN_CREDIT)
      ? 1
      : 0;
  return {
    features: {
      retrieval: best > 0 ? result.score / best : 0,
      coverage: totalWeight > 0 ? covered / totalWeight : 0,
      exact: totalWeight > 0 ? exact / totalWeight : 0,
      proximity: covered > 0 ? Math.min(1, sentence.weight / covered) : 0,
      kind: answerFit(text.slice(sentence.start, sentence.end), text, expected),
      focus,
      attribute:
        context.subject === undefined ||
        (focus === 1 && context.subject.every((t) => credits.has(t)))
          ? 1
          : 0,
      missing: heaviest > 0 ? missing / heaviest : 0,
      semantic: totalWeight > 0 ? near / totalWeight : 0,
      pairs: pairsTogether(context, passage),
      opening: 1 / passage.ordinal,
      focusNear:
        focus === 1 ? 1 : Math.max(...context.focus.map((t) => closeness(context, t, passage))),
      length: Math.min(1, analysisOf(context.index, passage).sequence.length / 60),
    },
    sentence: { start: sentence.start, end: sentence.end },
  };
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

/**
 * What is searched: the question's terms (with typo and prefix matches), and its stand-ins at
 * their credit. The other stand-ins only add to the score of passages the search found
 * (questionCredits): searching every relative WordNet knows would multiply the work.
 */
function queryGroups(context: QuestionContext): QueryGroup[] {
  const { index, terms, standIns, tuning } = context;
  const groups: QueryGroup[] = [{ terms, ...expansions(index, tuning) }];
  const searched = [...standIns].filter(([, s]) => s.searched).map(([term]) => term);
  if (searched.length > 0) {
    groups.push({ terms: searched, boost: (term) => standIns.get(term)?.credit ?? 0 });
  }
  return groups;
}

/**
 * The same query through MiniSearch's own search, which scores every passage that matches:
 * the reference that retrieval.ts must agree with (`npm run bench`, tests/core/retrieval.test.ts).
 */
function searchEverything(context: QuestionContext, outlet: string | undefined): SearchResult[] {
  const { index } = context;
  const { passages } = index;
  const queries = queryGroups(context).map(({ terms, fuzzy, prefix, boost }) => ({
    queries: terms,
    ...(fuzzy && { fuzzy }),
    ...(prefix && { prefix }),
    ...(boost && { boostTerm: boost }),
  }));
  // MiniSearch's typings accept only strings in `queries`, although it takes nested queries.
  const results = index.search.search({ combineWith: "OR", queries } as never, {
    ...(outlet !== undefined && {
      filter: (r: SearchResult) => passages[r.id as number]?.article.outlet === outlet,
    }),
  });
  // Equal scores in the order retrieval.ts gives them, earlier passage first (MiniSearch
  // keeps them in the order it met them).
  return results.sort((a, b) => b.score - a.score || (a.id as number) - (b.id as number));
}

/**
 * How much of each question term a passage covers: 1 for the word itself (or a typo or prefix
 * of it), a stand-in's credit for a stand-in, and partial credit for a word found only in the
 * article's headline or outlet (a headline word shared by most articles, such as the
 * presidents' names, earns almost nothing) or in the paragraph before. `exact` marks the
 * question's own words found in the passage.
 */
function questionCredits(
  context: QuestionContext,
  passage: Passage,
  result: Retrieved,
): Map<string, { value: number; exact: boolean }> {
  const { index, weights, standIns, tuning } = context;
  const credits = new Map<string, { value: number; exact: boolean }>();
  const give = (term: string, value: number, exact = false) => {
    const current = credits.get(term);
    if (current === undefined || value > current.value) credits.set(term, { value, exact });
  };
  // MiniSearch reports a typo or prefix match under the question word that was expanded.
  for (const queryTerm of result.queryTerms) {
    if (weights.has(queryTerm)) give(queryTerm, 1, true);
  }
  const { terms } = analysisOf(index, passage);
  for (const [other, standIn] of standIns) {
    if (terms.has(other)) for (const source of standIn.sources) give(source, standIn.credit);
  }
  if (credits.size === weights.size) return credits;

  const headline = index.headlineTerms.get(passage.article);
  const articles = Math.max(1, index.articles.length);
  const before = tuning.neighbourCredit > 0 ? previousParagraph(index, passage) : undefined;
  const elsewhere = (term: string): number => {
    let credit = 0;
    if (headline?.has(term)) {
      credit = tuning.headlineCredit * (1 - (index.headlineFrequency.get(term) ?? 0) / articles);
    }
    if (before !== undefined && context.postingsOf(term)?.has(before.id)) {
      credit = Math.max(credit, tuning.neighbourCredit);
    }
    return credit;
  };
  for (const term of weights.keys()) {
    if (credits.has(term)) continue;
    const credit = elsewhere(term);
    if (credit > 0) give(term, credit);
  }
  for (const [other, standIn] of standIns) {
    const credit = elsewhere(other) * standIn.credit;
    if (credit > 0) for (const source of standIn.sources) give(source, credit);
  }
  return credits;
}

/** Window, in terms, within which two question words count as together. */
const PAIR_WINDOW = 3;

function pairsTogether(context: QuestionContext, passage: Passage): number {
  const { sequence, weights } = context;
  if (sequence.length < 2) return 0;
  const positions = new Map<string, number[]>();
  analysisOf(context.index, passage).sequence.forEach((term, i) => {
    positions.set(term, [...(positions.get(term) ?? []), i]);
  });
  let together = 0;
  let all = 0;
  for (let i = 1; i < sequence.length; i++) {
    const a = sequence[i - 1] as string;
    const b = sequence[i] as string;
    const weight = Math.min(weights.get(a) ?? 0, weights.get(b) ?? 0);
    all += weight;
    const near = (positions.get(a) ?? []).some((p) =>
      (positions.get(b) ?? []).some((q) => q !== p && Math.abs(q - p) <= PAIR_WINDOW),
    );
    if (near) together += weight;
  }
  return all > 0 ? together / all : 0;
}

/** How close in meaning the passage's nearest word is to the question's word(s) behind `term`. */
function closeness(context: QuestionContext, term: string, passage: Passage): number {
  const { analyzer } = context.index;
  let best = 0;
  const { words } = analysisOf(context.index, passage);
  for (const token of context.tokensOf.get(term) ?? []) {
    best = Math.max(best, analyzer.nearest(token, words));
  }
  return best;
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
  /** The passage's words that are not stop words, folded but not stemmed. */
  words: PreparedWords;
  /** The passage's terms in order. */
  sequence: readonly string[];
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
  const { analyzer } = index;
  const sentences: SentenceSpan[] = [];
  const terms = new Set<string>();
  const words = new Set<string>();
  const sequence: string[] = [];
  let from = 0;
  // One pass of the analyzer over each sentence gives the sentence's terms, the passage's
  // terms in order and its words.
  for (const sentence of splitSentences(passage.text)) {
    const start = passage.text.indexOf(sentence, from);
    const end = start + sentence.length;
    from = end;
    const sentenceTerms = new Set<string>();
    for (const token of analyzer.tokenize(sentence)) {
      const term = analyzer.processTerm(token);
      if (term === null) continue;
      sentenceTerms.add(term);
      terms.add(term);
      words.add(token);
      sequence.push(term);
    }
    sentences.push({ start, end, terms: sentenceTerms });
  }
  const analysis = { sentences, terms, words: analyzer.prepare([...words]), sequence };
  if (cache.size >= ANALYSIS_CACHE_SIZE) cache.delete(cache.keys().next().value as number);
  cache.set(passage.id, analysis);
  return analysis;
}

/**
 * The paragraph before `passage` in its article, if there is one. Whether it holds a term is
 * asked of the index, which holds every paragraph's terms, rather than by analysing it again.
 */
function previousParagraph(index: PassageIndex, passage: Passage): Passage | undefined {
  const previous = index.passages[passage.id - 1];
  return previous && previous.article === passage.article ? previous : undefined;
}

/** The sentence that covers the most question weight; ties go to the earlier sentence. */
function bestSentence(
  context: QuestionContext,
  passage: Passage,
  result: Retrieved,
): { start: number; end: number; weight: number } {
  const { index, weights, standIns } = context;
  const matched = new Set(result.terms);
  const smallest = Math.min(...weights.values());
  let best = { start: 0, end: passage.text.length, weight: -1 };
  for (const span of analysisOf(index, passage).sentences) {
    const counted = new Map<string, number>();
    let inexact = 0;
    for (const term of span.terms) {
      const standIn = standIns.get(term);
      if (!matched.has(term) && standIn === undefined) continue;
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
