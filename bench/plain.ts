/**
 * The baseline: plain MiniSearch over the same paragraphs with the same options, queried with
 * `search(question)` directly.
 *
 * "The same options" means what a MiniSearch user would configure to get our index: the
 * paragraph text as the one field, our analyzer as `tokenize` and `processTerm` (folding,
 * aliases, irregular verbs, stop words, stemming — so the index holds exactly the same terms),
 * and the same fuzzy and prefix rules (`expansions` in `src/core/ranking.ts`). What it leaves
 * out is what our pipeline adds on top: question-type handling, term weights, stand-ins
 * (related words and WordNet synonyms) as a second query, re-scoring of the top results by
 * coverage, headline, the paragraph before, sentence and kind of fact, and the answer decision.
 */
import MiniSearch, { type SearchResult } from "minisearch";
import type { Analyzer } from "../src/core/analyzer.js";
import type { Article } from "../src/core/article.js";
import type { PassageIndex } from "../src/core/passage-index.js";
import { expansions } from "../src/core/ranking.js";

interface PlainDocument {
  id: number;
  text: string;
}

const FIELDS = ["text"];

/** Builds a plain MiniSearch over the articles' paragraphs, in the order our index numbers them. */
export function buildPlainIndex(
  articles: readonly Article[],
  analyzer: Analyzer,
): MiniSearch<PlainDocument> {
  const documents: PlainDocument[] = [];
  for (const article of articles) {
    for (const paragraph of article.paragraphs)
      documents.push({ id: documents.length, text: paragraph.text });
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

/** The baseline query: one call, MiniSearch's own BM25 ranking, nothing else. */
export function plainSearch(
  search: MiniSearch<PlainDocument>,
  index: PassageIndex,
  question: string,
): SearchResult[] {
  return search.search(question, { fields: FIELDS, combineWith: "OR", ...expansions(index) });
}

/**
 * The same baseline query on our own index's MiniSearch instance, which holds exactly the
 * terms a plain index holds (our analyzer applied at indexing): the question is analyzed by
 * MiniSearch itself, with our analyzer as its `tokenize` and `processTerm`. Used at every
 * size so that no second index sits in memory beside ours (at 100k paragraphs it would double
 * the heap, and the garbage collector's work, for both).
 */
export function plainSearchOn(
  index: PassageIndex,
  question: string,
  expand: { fuzzy: boolean; prefix: boolean } = { fuzzy: true, prefix: true },
): SearchResult[] {
  const rules = expansions(index);
  return index.search.search(question, {
    fields: FIELDS,
    combineWith: "OR",
    fuzzy: expand.fuzzy ? rules.fuzzy : false,
    prefix: expand.prefix ? rules.prefix : false,
    tokenize: index.analyzer.tokenize,
    processTerm: index.analyzer.processTerm,
  });
}
