/**
 * The other engines of the peer comparison (`measure-peers.ts`), each as its own user would
 * set it up to search paragraphs, and asked for its top ten:
 *
 * - MiniSearch, defaults (its tokenizer, lower case, OR of the terms, BM25);
 * - MiniSearch with English stop words dropped (`processTerm`), otherwise the defaults;
 * - wink-bm25-text-search with the preparation its README shows: words, lower case, English
 *   stop words dropped, Porter stems;
 * - FlexSearch's `Index` with its defaults (its own encoder; a question's terms are combined
 *   with AND, so a question whose words are not all in one paragraph finds nothing), and the
 *   same index asked with `suggest: true`, which also returns paragraphs that hold only some
 *   of the words;
 * - exact BM25 over typed arrays (`bm25.ts`), with the same preparation as wink: the floor.
 *
 * Summit Desk's own `answer()` is measured beside them in `measure-peers.ts`.
 */
import { Index } from "flexsearch";
import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import { eng as englishStopWords } from "stopword";
import bm25 from "wink-bm25-text-search";
import { TypedBm25 } from "./bm25.js";

/** Summit Desk's row: the engine every ratio is taken against. */
export const SUMMIT_DESK = "Summit Desk answer()";

export interface PeerEngine {
  name: string;
  /** Indexes the paragraphs; paragraph i has id i. */
  build(texts: readonly string[]): void;
  /** The top ten for the question; returns how many it found. */
  search(question: string): number;
}

const LIMIT = 10;
const STOP_WORDS = new Set(englishStopWords);

/** Words (letters and digits), lower case. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Words without English stop words, stemmed: wink's README preparation, and the floor's. */
function prepared(text: string): string[] {
  return words(text)
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) => stemmer(w));
}

function miniSearch(name: string, stopWords: boolean): PeerEngine {
  let index: MiniSearch<{ id: number; text: string }> | undefined;
  return {
    name,
    build(texts) {
      index = new MiniSearch({
        fields: ["text"],
        ...(stopWords
          ? {
              processTerm: (term: string) => {
                const lower = term.toLowerCase();
                return STOP_WORDS.has(lower) ? null : lower;
              },
            }
          : {}),
      });
      index.addAll(texts.map((text, id) => ({ id, text })));
    },
    search(question) {
      return (index as NonNullable<typeof index>).search(question).slice(0, LIMIT).length;
    },
  };
}

function wink(): PeerEngine {
  const engine = bm25();
  return {
    name: "wink-bm25-text-search",
    build(texts) {
      engine.defineConfig({ fldWeights: { text: 1 } });
      engine.definePrepTasks([prepared]);
      texts.forEach((text, id) => {
        engine.addDoc({ text }, id);
      });
      engine.consolidate();
    },
    search(question) {
      return engine.search(question, LIMIT).length;
    },
  };
}

function flexSearch(suggest: boolean): PeerEngine {
  let index: Index | undefined;
  return {
    name: suggest ? "FlexSearch, suggest: true" : "FlexSearch (defaults)",
    build(texts) {
      index = new Index();
      texts.forEach((text, id) => {
        index?.add(id, text);
      });
    },
    search(question) {
      return (index as Index).search(question, { limit: LIMIT, suggest }).length;
    },
  };
}

function floor(): PeerEngine {
  const index = new TypedBm25(prepared);
  return {
    name: "exact BM25, typed arrays (floor)",
    build: (texts) => index.build(texts),
    search: (question) => index.search(question, LIMIT).length,
  };
}

/** The peers, in the order the table lists them. */
export function peerEngines(): PeerEngine[] {
  return [
    miniSearch("MiniSearch (defaults)", false),
    miniSearch("MiniSearch + English stop words", true),
    wink(),
    flexSearch(false),
    flexSearch(true),
    floor(),
  ];
}
