/**
 * Read access to the inverted index inside a MiniSearch instance, for retrieval.ts.
 *
 * MiniSearch's `search()` scores every passage that shares a word with the question and sorts
 * them all; at 100k paragraphs a common word matches tens of thousands. retrieval.ts finds
 * the same best few without scoring most of them, and for that it needs what MiniSearch keeps
 * but does not publish: each term's passages with its frequency in each, the passages'
 * lengths, and the term dictionary for typo and prefix matching. This module is the one place
 * that reads them. Their shape is checked once, when the index is built, so that a MiniSearch
 * release that changed them fails loudly there; tests/core/retrieval.test.ts compares the
 * scores with MiniSearch's own `search()`.
 *
 * MiniSearch's BM25+ is reproduced operation for operation (same order of floating-point
 * operations), so that a score computed here equals the one `search()` returns.
 */
import type MiniSearch from "minisearch";
import type SearchableMap from "minisearch/SearchableMap";

/** A term's passages, by internal id, with the number of times the term occurs in each. */
export type TermPostings = ReadonlyMap<number, number>;

/** MiniSearch's defaults, which the passage index keeps. */
const K = 1.2;
const B = 0.7;
const D = 0.5;
/** MiniSearch's weights of typo and prefix matches. */
export const FUZZY_WEIGHT = 0.45;
export const PREFIX_WEIGHT = 0.375;

type FieldTermData = Map<number, Map<number, number>>;

interface MiniSearchInternals {
  _index: SearchableMap<FieldTermData>;
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _fieldIds: Record<string, number>;
}

export interface Postings {
  /** Number of passages. Internal ids run from 0 to `size - 1` and equal the passages' ids. */
  readonly size: number;
  /** The passages that contain `term`, or undefined when none does. */
  get(term: string): TermPostings | undefined;
  /** Index terms that start with `prefix`, the prefix itself included, in MiniSearch's order. */
  withPrefix(prefix: string): Iterable<[string, TermPostings]>;
  /** Index terms within `distance` edits of `term`, with their distance, in MiniSearch's order. */
  near(term: string, distance: number): Map<string, [TermPostings, number]>;
  /** BM25+ of `term` (whose postings are `postings`) in passage `id`, where it occurs `frequency` times. */
  score(postings: TermPostings, id: number, frequency: number): number;
  /** The highest BM25+ the term reaches in any passage. */
  bound(term: string, postings: TermPostings): number;
}

/**
 * Wraps a MiniSearch instance with one field whose documents' ids are 0, 1, 2… in the order
 * they were added, none removed (how passage-index.ts builds it).
 */
export function postingsOf<T>(search: MiniSearch<T>, field: string): Postings {
  const internals = search as unknown as MiniSearchInternals;
  const fieldId = internals._fieldIds?.[field];
  const avgLength = internals._avgFieldLength?.[fieldId ?? -1];
  const size = internals._documentCount;
  if (
    fieldId === undefined ||
    avgLength === undefined ||
    typeof internals._index?.fuzzyGet !== "function" ||
    !(internals._fieldLength instanceof Map) ||
    !(internals._documentIds instanceof Map) ||
    internals._documentIds.size !== size
  ) {
    throw new Error(
      "MiniSearch's index is not laid out as postings.ts expects (MiniSearch upgraded?)",
    );
  }
  // The part of BM25's denominator that depends on the passage's length, per passage.
  const lengthNorm = new Float64Array(size);
  for (let id = 0; id < size; id++) {
    const length = internals._fieldLength.get(id)?.[fieldId];
    if (internals._documentIds.get(id) !== id || length === undefined) {
      throw new Error(`MiniSearch's internal id ${id} is not passage ${id}`);
    }
    lengthNorm[id] = K * (1 - B + (B * length) / avgLength);
  }
  const forField = (data: FieldTermData | undefined): TermPostings | undefined =>
    data?.get(fieldId);
  const inverseFrequency = (postings: TermPostings) =>
    Math.log(1 + (size - postings.size + 0.5) / (postings.size + 0.5));

  const bounds = new Map<string, number>();
  return {
    size,
    get: (term) => forField(internals._index.get(term)),
    *withPrefix(prefix) {
      for (const [term, data] of internals._index.atPrefix(prefix)) {
        const postings = forField(data);
        if (postings) yield [term, postings];
      }
    },
    near(term, distance) {
      const out = new Map<string, [TermPostings, number]>();
      for (const [other, [data, edits]] of internals._index.fuzzyGet(term, distance)) {
        const postings = forField(data);
        if (postings) out.set(other, [postings, edits]);
      }
      return out;
    },
    score: (postings, id, frequency) =>
      inverseFrequency(postings) *
      (D + (frequency * (K + 1)) / (frequency + (lengthNorm[id] as number))),
    bound(term, postings) {
      let best = bounds.get(term);
      if (best === undefined) {
        best = 0;
        for (const [id, frequency] of postings) {
          best = Math.max(
            best,
            D + (frequency * (K + 1)) / (frequency + (lengthNorm[id] as number)),
          );
        }
        best *= inverseFrequency(postings);
        bounds.set(term, best);
      }
      return best;
    },
  };
}
