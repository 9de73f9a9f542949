/**
 * Retrieval with MaxScore pruning returns exactly what MiniSearch's exhaustive search returns
 * first: the same passages with the same scores, ties to the lower id.
 */
import fc from "fast-check";
import MiniSearch, { type SearchResult } from "minisearch";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/core/analyzer.js";
import { loadCorpus } from "../../src/core/corpus.js";
import { buildPassageIndex, type PassageIndex } from "../../src/core/passage-index.js";
import { postingsOf } from "../../src/core/postings.js";
import { DEFAULT_TUNING, rank } from "../../src/core/ranking.js";
import { type QueryGroup, retrieve } from "../../src/core/retrieval.js";
import { standardSets } from "../../src/eval/question-sets.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

let index: PassageIndex;
let vocabulary: string[];

beforeAll(async () => {
  const { corpus } = await loadCorpus(SEEDS_DIR);
  if (!corpus) throw new Error("the seeds do not load");
  // Every article twice, so that many passages tie exactly.
  const articles = [
    ...corpus.articles,
    ...corpus.articles.map((a) => ({ ...a, slug: `${a.slug}-again` })),
  ];
  index = buildPassageIndex(articles, createAnalyzer(corpus.aliases));
  vocabulary = [...index.documentFrequency.keys()].sort();
});

/** MiniSearch's own search, ordered as retrieval promises: best score first, then lower id. */
function exhaustive(groups: QueryGroup[], limit: number, accept?: (id: number) => boolean) {
  const queries = groups.map(({ terms, fuzzy, prefix, boost }) => ({
    queries: terms,
    ...(fuzzy && { fuzzy }),
    ...(prefix && { prefix }),
    ...(boost && { boostTerm: boost }),
  }));
  const results = index.search.search({ combineWith: "OR", queries } as never, {
    ...(accept && { filter: (r: SearchResult) => accept(r.id as number) }),
  });
  return results
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, limit)
    .map((r) => ({
      id: r.id as number,
      score: r.score,
      queryTerms: [...r.queryTerms].sort(),
      terms: [...r.terms].sort(),
    }));
}

const sortedLists = (results: ReturnType<typeof retrieve>) =>
  results.map((r) => ({ ...r, queryTerms: [...r.queryTerms].sort(), terms: [...r.terms].sort() }));

describe("retrieval", () => {
  it("returns MiniSearch's best passages with the same scores, for any query", () => {
    const term = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .integer({ min: 0, max: 100_000 })
          .map((i) => vocabulary[i % vocabulary.length] as string),
      },
      // Words not in the index, for typo and prefix matches.
      { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{3,9}$/) },
    );
    const group = fc.record({
      terms: fc.uniqueArray(term, { minLength: 1, maxLength: 6 }),
      fuzzy: fc.boolean(),
      prefix: fc.boolean(),
      boost: fc.option(fc.double({ min: 0.1, max: 1, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 40 }),
        fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
        (specs, limit, outletPick) => {
          const groups: QueryGroup[] = specs.map((s) => ({
            terms: s.terms,
            ...(s.fuzzy && { fuzzy: (t: string) => (t.length >= 8 ? 2 : t.length >= 5 ? 1 : 0) }),
            ...(s.prefix && { prefix: (t: string) => t.length >= 5 }),
            ...(s.boost !== undefined && { boost: () => s.boost as number }),
          }));
          const outlet =
            outletPick === undefined
              ? undefined
              : index.outlets[outletPick % index.outlets.length]?.name;
          const accept =
            outlet === undefined
              ? undefined
              : (id: number) => index.passages[id]?.article.outlet === outlet;
          const got = retrieve(index.postings, groups, { limit, ...(accept && { accept }) });
          expect(sortedLists(got)).toEqual(exhaustive(groups, limit, accept));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("ranks evaluation questions as the exhaustive search does", async () => {
    let compared = 0;
    for (const set of await standardSets()) {
      // Every fourth question of each set keeps the test quick; bench:pruning runs them all.
      for (const { question } of set.questions.filter((_, i) => i % 4 === 0)) {
        const key = (pruning: boolean) =>
          rank(index, question, { tuning: { ...DEFAULT_TUNING, pruning } }).candidates.map((c) => [
            c.passage.id,
            c.score,
          ]);
        expect(key(true), question).toEqual(key(false));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("refuses a MiniSearch whose internal ids are not the passages' ids", () => {
    const search = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
    search.addAll([
      { id: 0, text: "summit" },
      { id: 1, text: "selfie" },
    ]);
    expect(() => postingsOf(search, "text")).not.toThrow();
    search.discard(0);
    expect(() => postingsOf(search, "text")).toThrow(/MiniSearch/);
  });
});
