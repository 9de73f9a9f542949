/**
 * The baseline: plain MiniSearch over the same paragraphs with the same options, queried with
 * `search(question)` directly.
 *
 * "The same options" means what a MiniSearch user would configure to get our index: the same
 * three fields (the paragraph, its outlet and headline, the paragraph before it) with the same
 * boosts, our analyzer as `tokenize` and `processTerm` (folding, aliases, irregular verbs,
 * stop words, stemming — so the index holds exactly the same terms), and the same fuzzy and
 * prefix rules as `src/core/ranking.ts`. What it leaves out is what our pipeline adds on top:
 * question-type handling, term weights, stand-ins (related words and WordNet synonyms) as a
 * second query, re-scoring of the top results by coverage, sentence and kind of fact, and the
 * answer decision.
 */
import MiniSearch, { type SearchResult } from "minisearch";
import type { Analyzer } from "../src/core/analyzer.js";
import type { Article } from "../src/core/article.js";
import type { PassageIndex } from "../src/core/passage-index.js";
import { DEFAULT_TUNING } from "../src/core/ranking.js";

interface PlainDocument {
  id: number;
  text: string;
  headline: string;
  context: string;
}

const FIELDS = ["text", "headline", "context"];

/** Builds a plain MiniSearch over the articles' paragraphs, in the order our index numbers them. */
export function buildPlainIndex(
  articles: readonly Article[],
  analyzer: Analyzer,
): MiniSearch<PlainDocument> {
  const documents: PlainDocument[] = [];
  for (const article of articles) {
    const headline = `${article.outlet} ${article.headline}`;
    article.paragraphs.forEach((paragraph, i) => {
      documents.push({
        id: documents.length,
        text: paragraph.text,
        headline,
        context: article.paragraphs[i - 1]?.text ?? "",
      });
    });
  }
  const search = new MiniSearch<PlainDocument>({
    fields: FIELDS,
    idField: "id",
    storeFields: [],
    tokenize: analyzer.tokenize,
    processTerm: analyzer.processTerm,
  });
  search.addAll(documents);
  return search;
}

// The fuzzy and prefix rules of src/core/ranking.ts (search()), with the default tuning.
const fuzzy = (term: string): number =>
  DEFAULT_TUNING.fuzzy && /^\p{L}+$/u.test(term)
    ? term.length >= 8
      ? 2
      : term.length >= 5
        ? 1
        : 0
    : 0;
const prefix = (term: string): boolean => DEFAULT_TUNING.prefix && term.length >= 5;

const SEARCH_OPTIONS = {
  fields: FIELDS,
  boost: { text: 1, headline: DEFAULT_TUNING.headlineBoost, context: DEFAULT_TUNING.contextBoost },
  combineWith: "OR",
  fuzzy,
  prefix,
} as const;

/** The baseline query: one call, MiniSearch's own BM25 ranking, nothing else. */
export function plainSearch(search: MiniSearch<PlainDocument>, question: string): SearchResult[] {
  return search.search(question, SEARCH_OPTIONS);
}

/**
 * The same baseline query on our own index's MiniSearch instance, which holds exactly the
 * terms a plain index holds (our analyzer applied at indexing): the question is analyzed by
 * MiniSearch itself, with our analyzer as its `tokenize` and `processTerm`. Used at every
 * size so that no second index sits in memory beside ours (at 100k paragraphs it would double
 * the heap, and the garbage collector's work, for both).
 */
export function plainSearchOn(
  search: PassageIndex["search"],
  analyzer: Analyzer,
  question: string,
  expand: { fuzzy: boolean; prefix: boolean } = { fuzzy: true, prefix: true },
): SearchResult[] {
  return search.search(question, {
    ...SEARCH_OPTIONS,
    fuzzy: expand.fuzzy ? fuzzy : false,
    prefix: expand.prefix ? prefix : false,
    tokenize: analyzer.tokenize,
    processTerm: analyzer.processTerm,
  });
}
