import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Article, parseArticle } from "../../src/core/article.js";
import {
  compareFingerprints,
  type Fingerprint,
  fingerprintOf,
  hasChanges,
  parseFingerprint,
  serializeFingerprint,
} from "../../src/core/changes.js";
import { type ArticleSpec, articleText } from "../support/corpus-folder.js";

/** A fingerprint entry written by hand: paragraph "hashes" are just labels. */
const entry = (slug: string, paragraphs: string[], meta = "m") => ({ slug, meta, paragraphs });

const NONE = {
  articles: { added: [], removed: [], changed: [] },
  paragraphs: { added: 0, removed: 0, changed: 0 },
};

describe("comparing fingerprints", () => {
  it("finds no change between equal corpora", () => {
    const fingerprint = [entry("a", ["p1", "p2"]), entry("b", ["q1"])];
    const changes = compareFingerprints(fingerprint, structuredClone(fingerprint));
    expect(changes).toEqual(NONE);
    expect(hasChanges(changes)).toBe(false);
  });

  it("counts a new article and all its paragraphs as added", () => {
    expect(
      compareFingerprints([entry("a", ["p1"])], [entry("a", ["p1"]), entry("b", ["q1", "q2"])]),
    ).toEqual({
      articles: { added: ["b"], removed: [], changed: [] },
      paragraphs: { added: 2, removed: 0, changed: 0 },
    });
  });

  it("counts a missing article and all its paragraphs as removed", () => {
    expect(
      compareFingerprints(
        [entry("a", ["p1"]), entry("b", ["q1", "q2", "q3"])],
        [entry("a", ["p1"])],
      ),
    ).toEqual({
      articles: { added: [], removed: ["b"], changed: [] },
      paragraphs: { added: 0, removed: 3, changed: 0 },
    });
  });

  it("pairs a removed and an added paragraph of one article as one changed paragraph", () => {
    expect(
      compareFingerprints([entry("a", ["p1", "p2", "p3"])], [entry("a", ["p1", "p2*", "p3"])]),
    ).toEqual({
      articles: { added: [], removed: [], changed: ["a"] },
      paragraphs: { added: 0, removed: 0, changed: 1 },
    });
  });

  it("counts the extra paragraphs beyond the pairs as added or removed", () => {
    expect(
      compareFingerprints([entry("a", ["p1", "p2", "p3"])], [entry("a", ["p1", "x", "y", "z"])]),
    ).toEqual({
      articles: { added: [], removed: [], changed: ["a"] },
      paragraphs: { added: 1, removed: 0, changed: 2 },
    });
    expect(compareFingerprints([entry("a", ["p1", "p2", "p3"])], [entry("a", ["x"])])).toEqual({
      articles: { added: [], removed: [], changed: ["a"] },
      paragraphs: { added: 0, removed: 2, changed: 1 },
    });
  });

  it("does not count paragraphs that only moved", () => {
    expect(
      compareFingerprints([entry("a", ["p1", "p2", "p3"])], [entry("a", ["p3", "p1", "p2"])]),
    ).toEqual(NONE);
  });

  it("counts a repeated paragraph each time it occurs", () => {
    expect(compareFingerprints([entry("a", ["p1", "p1"])], [entry("a", ["p1"])])).toEqual({
      articles: { added: [], removed: [], changed: ["a"] },
      paragraphs: { added: 0, removed: 1, changed: 0 },
    });
  });

  it("counts changed metadata as a changed article without paragraph changes", () => {
    expect(compareFingerprints([entry("a", ["p1"], "m1")], [entry("a", ["p1"], "m2")])).toEqual({
      articles: { added: [], removed: [], changed: ["a"] },
      paragraphs: { added: 0, removed: 0, changed: 0 },
    });
  });

  it("balances: paragraphs before, minus removed, plus added, are the paragraphs after", () => {
    const corpus = fc.uniqueArray(
      fc.record({
        slug: fc.constantFrom("a", "b", "c", "d"),
        meta: fc.constantFrom("m1", "m2"),
        paragraphs: fc.array(fc.constantFrom("p1", "p2", "p3", "p4", "p5"), { maxLength: 6 }),
      }),
      { selector: (a) => a.slug },
    );
    fc.assert(
      fc.property(corpus, corpus, (before: Fingerprint, after: Fingerprint) => {
        const changes = compareFingerprints(before, after);
        const count = (f: Fingerprint) => f.reduce((n, a) => n + a.paragraphs.length, 0);
        const { added, removed } = changes.paragraphs;
        expect(count(before) - removed + added).toBe(count(after));
        expect(hasChanges(changes)).toBe(!sameUpToOrder(before, after));
      }),
    );
  });
});

/** Whether two fingerprints hold the same articles with the same paragraphs, in any order. */
function sameUpToOrder(a: Fingerprint, b: Fingerprint): boolean {
  const key = (f: Fingerprint) =>
    JSON.stringify(
      [...f]
        .map((x) => [x.slug, x.meta, [...x.paragraphs].sort()])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  return key(a) === key(b);
}

describe("fingerprints of articles", () => {
  const spec: ArticleSpec = {
    outlet: "Harbour Post",
    headline: "Ministers meet in Hanoi",
    url: "https://harbourpost.example/ministers",
    paragraphs: [
      "The two ministers met for three hours in Hanoi on Tuesday.",
      "They agreed to meet again in Seoul in May, officials said.",
    ],
  };
  const parse = (s: ArticleSpec): Article => {
    const { article } = parseArticle(
      "seeds/a.md",
      "a.md",
      new TextEncoder().encode(articleText(s)),
    );
    if (!article) throw new Error("the test article does not parse");
    return article;
  };

  it("hold one hash per paragraph, equal for equal text", () => {
    const [fingerprint] = fingerprintOf([parse(spec)]);
    expect(fingerprint?.slug).toBe("a");
    expect(fingerprint?.paragraphs).toHaveLength(2);
    expect(fingerprintOf([parse(spec)])).toEqual(fingerprintOf([parse({ ...spec })]));
  });

  it("change with the metadata and with the text", () => {
    const base = fingerprintOf([parse(spec)]);
    const retitled = fingerprintOf([parse({ ...spec, headline: "Ministers meet in Seoul" })]);
    expect(compareFingerprints(base, retitled).articles.changed).toEqual(["a"]);
    const dated = fingerprintOf([parse({ ...spec, published: "2026-01-05" })]);
    expect(compareFingerprints(base, dated).articles.changed).toEqual(["a"]);
    const edited = fingerprintOf([
      parse({
        ...spec,
        paragraphs: [spec.paragraphs[0] ?? "", "They agreed to meet again in Busan."],
      }),
    ]);
    expect(compareFingerprints(base, edited).paragraphs).toEqual({
      added: 0,
      removed: 0,
      changed: 1,
    });
  });
});

describe("fingerprints between threads", () => {
  it("survive being written as one string and read back", () => {
    const slug = fc.stringMatching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    const hash = fc.stringMatching(/^[A-Za-z0-9+/]{12}$/);
    const fingerprint = fc.array(
      fc.record({ slug, meta: hash, paragraphs: fc.array(hash, { maxLength: 6 }) }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(fingerprint, (f) => {
        expect(parseFingerprint(serializeFingerprint(f))).toEqual(f);
      }),
    );
  });
});
