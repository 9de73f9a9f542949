import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/core/analyzer.js";
import { type Answer, answer, answerByOutlet, MAX_RESULTS } from "../../src/core/answer.js";
import { loadCorpus } from "../../src/core/corpus.js";
import { buildPassageIndex, type PassageIndex } from "../../src/core/passage-index.js";
import { rank } from "../../src/core/ranking.js";
import { type ArticleSpec, articleText, useTempFolders } from "../support/corpus-folder.js";

// A small coverage of two stories (a fisheries pact, a lantern festival) and a ferry link,
// from three outlets. Paragraphs are short so that each test can say which one must win.
const CORPUS: Record<string, ArticleSpec> = {
  "harbour-post-fisheries-pact.md": {
    outlet: "Harbour Post",
    headline: "Coastal nations sign fisheries pact after night of talks",
    url: "https://harbourpost.example/2026/02/fisheries-pact",
    published: "2026-02-10",
    paragraphs: [
      "Negotiators from Norland and Estmark signed a fisheries pact early on Tuesday after talks that ran through the night in the port city of Vell.",
      "The agreement sets a yearly quota of 48,000 tonnes of cod for the fleet of each country.",
      "Fishing crews in Vell welcomed the deal but worried about how it would be enforced.",
    ],
  },
  "harbour-post-ferry-link.md": {
    outlet: "Harbour Post",
    headline: "New ferry link between Vell and Dunmore opens",
    url: "http://harbourpost.example/2026/03/ferry",
    published: "2026-03-01",
    paragraphs: [
      "A new ferry link between Vell and Dunmore opened on Sunday, cutting the crossing to ninety minutes.",
      "Tickets will cost the same as on the old route. Bicycles travel free on weekday mornings, the operator said.",
    ],
  },
  "valley-times-lantern-festival.md": {
    outlet: "Valley Times",
    headline: "Lantern festival draws record crowds to Orrin",
    url: "https://valleytimes.example/lantern-festival",
    published: "2026-02-12",
    paragraphs: [
      "The annual lantern festival in Orrin drew record crowds over the weekend, organisers said.",
      "About 120,000 visitors walked the riverside route, up from 90,000 last year.",
      "Street vendors sold out of roasted chestnuts by Saturday evening.",
    ],
  },
  "the-ledger-quota-deal.md": {
    outlet: "The Ledger",
    headline: "Quota deal leaves small boats uneasy",
    url: "https://ledger.example/quota-deal",
    paragraphs: [
      "Owners of small boats say the cod quota in the new fisheries pact favours large trawlers.",
      "The fisheries minister of Estmark defended the pact, saying it protects cod stocks for a decade.",
    ],
  },
};

const folders = useTempFolders();
let index: PassageIndex;

beforeAll(async () => {
  const files = Object.fromEntries(
    Object.entries(CORPUS).map(([name, spec]) => [name, articleText(spec)]),
  );
  const load = await loadCorpus(await folders.create(files));
  if (!load.corpus) throw new Error(load.problems.map((p) => p.message).join("\n"));
  index = buildPassageIndex(load.corpus.articles, createAnalyzer(load.corpus.aliases));
});

/** The passage text of each result, best first. */
const texts = (a: Answer) => a.results.map((r) => r.text);

describe("the best passage comes first", () => {
  it("answers with the paragraph that states what was asked", () => {
    const result = answer(index, "What did the negotiators sign in Vell?");
    expect(result.answered).toBe(true);
    expect(texts(result)[0]).toBe(CORPUS["harbour-post-fisheries-pact.md"]?.paragraphs[0]);
  });

  it("finds a paragraph through a word's other forms", () => {
    const result = answer(index, "who defends the pact?");
    expect(texts(result)[0]).toMatch(/^The fisheries minister of Estmark defended the pact/);
  });

  it("orders results best first, with scores that never increase", () => {
    const result = answer(index, "fisheries pact cod quota");
    const scores = result.results.map((r) => r.score);
    expect(scores.length).toBeGreaterThan(1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("returns at most five results, or fewer when asked", () => {
    expect(answer(index, "Vell fisheries pact cod ferry").results.length).toBeLessThanOrEqual(
      MAX_RESULTS,
    );
    expect(answer(index, "fisheries pact", { limit: 1 }).results).toHaveLength(1);
  });
});

describe("the outlet option", () => {
  it("restricts the answer to one outlet", () => {
    const result = answer(index, "fisheries pact", { outlet: "The Ledger" });
    expect(result.answered).toBe(true);
    expect(result.results.map((r) => r.citation.outlet)).toEqual(["The Ledger", "The Ledger"]);
  });

  it("declines with unknown-outlet for an outlet not in the coverage", () => {
    expect(answer(index, "fisheries pact", { outlet: "Daily Planet" })).toEqual({
      question: "fisheries pact",
      answered: false,
      results: [],
      reason: "unknown-outlet",
    });
  });

  it("declines when the outlet does not cover the question", () => {
    const result = answer(index, "lantern festival crowds", { outlet: "The Ledger" });
    expect(result.answered).toBe(false);
    expect(result.results).toEqual([]);
  });
});

describe("questions the coverage cannot answer", () => {
  it("declines with no-terms when the question is only stop words", () => {
    expect(answer(index, "what is it about?")).toEqual({
      question: "what is it about?",
      answered: false,
      results: [],
      reason: "no-terms",
    });
  });

  it("declines with no-match when no word occurs in the coverage", () => {
    expect(answer(index, "xylophone zeppelin")).toMatchObject({
      answered: false,
      results: [],
      reason: "no-match",
    });
  });

  it("declines an off-topic question rather than offering the closest passage", () => {
    const result = answer(index, "What is the price of bitcoin today?");
    expect(result.answered).toBe(false);
    expect(result.results).toEqual([]);
    // Tickets "cost" something, but nothing in the coverage is about bitcoin.
    expect(result.reason).toBe("not-stated");
  });
});

describe("the kind of answer a question asks for", () => {
  it('offers, for "how many", only a passage that states a number', () => {
    const festival = CORPUS["valley-times-lantern-festival.md"]?.paragraphs ?? [];
    const ranking = rank(index, "How many visitors walked the riverside route?");
    expect(ranking.expected).toBe("number");
    const numberless = rank(index, "How many crowds came to the lantern festival in Orrin?");
    const festivalOpening = numberless.candidates.find((c) => c.passage.text === festival[0]);
    expect(festivalOpening?.features.kind).toBe(0);

    const result = answer(index, "How many visitors walked the riverside route?");
    expect(texts(result)).toEqual([festival[1]]);
  });

  it("offers no passage for a number when none states one", () => {
    const result = answer(index, "How many chestnuts did the street vendors sell?");
    expect(result).toMatchObject({ answered: false, reason: "not-stated" });
  });
});

describe("the highlight marks the sentence that answers", () => {
  it("points at the matching sentence, not the whole paragraph", () => {
    const [best] = answer(index, "Do bicycles travel free?").results;
    expect(best?.text.slice(best.highlight.start, best.highlight.end)).toBe(
      "Bicycles travel free on weekday mornings, the operator said.",
    );
  });

  it("points at the first sentence when that is the one that matches", () => {
    const [best] = answer(index, "Will ferry tickets cost the same as before?").results;
    expect(best?.text.slice(best.highlight.start, best.highlight.end)).toBe(
      "Tickets will cost the same as on the old route.",
    );
  });
});

describe("every result carries its citation", () => {
  it("names the outlet, headline, link, date and paragraph", () => {
    const [best] = answer(index, "Do bicycles travel free?").results;
    expect(best?.citation).toEqual({
      outlet: "Harbour Post",
      headline: "New ferry link between Vell and Dunmore opens",
      url: "http://harbourpost.example/2026/03/ferry",
      published: "2026-03-01",
      slug: "harbour-post-ferry-link",
      paragraph: 2,
      paragraphs: 2,
    });
  });

  it("leaves out the date when the article gives none", () => {
    const [best] = answer(index, "fisheries pact", { outlet: "The Ledger" }).results;
    expect(best?.citation.outlet).toBe("The Ledger");
    expect(best?.citation).not.toHaveProperty("published");
  });

  it("holds for any question: answer never throws and cites an http(s) link", () => {
    const words = fc.constantFrom(
      "fisheries",
      "pact",
      "how many",
      "when",
      "Vell",
      "ferry",
      "lantern",
      "cod",
      "the",
      "?",
      "48,000",
      "U.S.",
    );
    const question = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.array(words, { maxLength: 8 }).map((w) => w.join(" ")),
    );
    const outlet = fc.constantFrom(undefined, "Harbour Post", "Valley Times", "Nowhere");
    fc.assert(
      fc.property(question, outlet, (q, o) => {
        const result = answer(index, q, o === undefined ? {} : { outlet: o });
        // Only an answer, or an "unsure" reply showing the closest passages, carries passages.
        expect(result.results.length > 0).toBe(result.answered || result.reason === "unsure");
        for (const r of result.results) {
          expect(r.citation.url).toMatch(/^https?:\/\//);
          expect(r.citation.paragraph).toBeGreaterThanOrEqual(1);
          expect(r.citation.paragraph).toBeLessThanOrEqual(r.citation.paragraphs);
          expect(r.highlight.start).toBeGreaterThanOrEqual(0);
          expect(r.highlight.end).toBeLessThanOrEqual(r.text.length);
          if (o !== undefined) expect(r.citation.outlet).toBe(o);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("answers by outlet", () => {
  it("gives the best passage of each outlet that covers the question", () => {
    const results = answerByOutlet(index, "fisheries pact cod quota");
    expect(results.map((r) => r.citation.outlet).sort()).toEqual(["Harbour Post", "The Ledger"]);
  });

  it("leaves out an outlet that does not cover the question", () => {
    const results = answerByOutlet(index, "lantern festival crowds");
    expect(results.map((r) => r.citation.outlet)).toEqual(["Valley Times"]);
  });

  it("gives nothing for a question nobody covers", () => {
    expect(answerByOutlet(index, "What is the price of bitcoin today?")).toEqual([]);
  });
});
