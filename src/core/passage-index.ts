/**
 * The passage index: every cleaned paragraph of every article as one MiniSearch document,
 * with the citation it came from.
 *
 * Paragraphs are analyzed once, here (see analyzer.ts); MiniSearch receives the terms ready
 * made, so that the document frequencies the ranking needs are counted in the same pass.
 */
import MiniSearch, { type Options as MiniSearchOptions } from "minisearch";
import type { Analyzer } from "./analyzer.js";
import type { Article } from "./article.js";
import { type Postings, postingsOf } from "./postings.js";

/** One paragraph in the index, with everything needed to cite it. */
export interface Passage {
  /** Position in the index; stable only within one loaded index. */
  id: number;
  text: string;
  article: Article;
  /** 1-based position of the paragraph in its article. */
  ordinal: number;
}

/** What a result cites: who said it, where, when, and where in the article. */
export interface Citation {
  outlet: string;
  headline: string;
  url: string;
  published?: string;
  slug: string;
  /** 1-based paragraph number within the article. */
  paragraph: number;
  /** Number of paragraphs the article has. */
  paragraphs: number;
}

export function citationOf(passage: Passage): Citation {
  const { article } = passage;
  return {
    outlet: article.outlet,
    headline: article.headline,
    url: article.url,
    ...(article.published !== undefined && { published: article.published }),
    slug: article.slug,
    paragraph: passage.ordinal,
    paragraphs: article.paragraphs.length,
  };
}

interface IndexedDocument {
  id: number;
  /** The paragraph's terms, space-separated (see analyzer.ts). */
  text: string;
}

const PRE_ANALYZED: Pick<MiniSearchOptions<IndexedDocument>, "tokenize" | "processTerm"> = {
  tokenize: (text) => (text === "" ? [] : text.split(" ")),
  processTerm: (term) => term,
};

export interface PassageIndex {
  readonly search: MiniSearch<IndexedDocument>;
  /** MiniSearch's inverted index, read directly for retrieval (see retrieval.ts). */
  readonly postings: Postings;
  readonly passages: readonly Passage[];
  readonly articles: readonly Article[];
  readonly analyzer: Analyzer;
  /** Number of passages each index term occurs in. */
  readonly documentFrequency: ReadonlyMap<string, number>;
  /** The terms of each article's outlet and headline. */
  readonly headlineTerms: ReadonlyMap<Article, ReadonlySet<string>>;
  /** Number of articles whose outlet or headline has each index term. */
  readonly headlineFrequency: ReadonlyMap<string, number>;
  /** Outlets in the order they first appear, each with its articles. */
  readonly outlets: ReadonlyArray<{ name: string; articles: Article[] }>;
}

/**
 * Builds the index. Synchronous and CPU-bound: callers that must stay responsive run it
 * off the main thread.
 *
 * Only the paragraph text is indexed. The headline and the paragraph before count for a
 * passage too, but only when it is re-scored: indexing them with every paragraph would
 * double the index and the work of every search.
 */
export function buildPassageIndex(articles: readonly Article[], analyzer: Analyzer): PassageIndex {
  const passages: Passage[] = [];
  const documents: IndexedDocument[] = [];
  const documentFrequency = new Map<string, number>();
  const headlineTerms = new Map<Article, ReadonlySet<string>>();
  const headlineFrequency = new Map<string, number>();

  for (const article of articles) {
    // The outlet's name goes with the headline, for questions like "what did the Independent say".
    const terms = new Set(analyzer.terms(`${article.outlet} ${article.headline}`));
    headlineTerms.set(article, terms);
    for (const term of terms) headlineFrequency.set(term, (headlineFrequency.get(term) ?? 0) + 1);
    for (const paragraph of article.paragraphs) {
      const id = passages.length;
      passages.push({ id, text: paragraph.text, article, ordinal: paragraph.ordinal });
      const paragraphTerms = analyzer.terms(paragraph.text);
      for (const term of new Set(paragraphTerms)) {
        documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      }
      documents.push({ id, text: paragraphTerms.join(" ") });
    }
  }

  const search = new MiniSearch<IndexedDocument>({
    fields: ["text"],
    idField: "id",
    storeFields: [],
    ...PRE_ANALYZED,
  });
  search.addAll(documents);

  const byOutlet = new Map<string, Article[]>();
  for (const article of articles) {
    const list = byOutlet.get(article.outlet) ?? [];
    list.push(article);
    byOutlet.set(article.outlet, list);
  }

  return {
    search,
    postings: postingsOf(search, "text"),
    passages,
    articles,
    analyzer,
    documentFrequency,
    headlineTerms,
    headlineFrequency,
    outlets: [...byOutlet].map(([name, list]) => ({ name, articles: list })),
  };
}
