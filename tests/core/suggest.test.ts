import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/core/corpus.js";
import {
  buildVocabulary,
  MAX_CHOICE_LENGTH,
  MAX_CHOICES,
  suggest,
  type Vocabulary,
} from "../../src/core/suggest.js";
import { articleText, SEEDS_DIR, useTempFolders } from "../support/corpus-folder.js";

const folders = useTempFolders();

/** The real seeds, and a corpus of 30 ferry stories whose headlines all share words. */
let seeds: Vocabulary;
let ferries: Vocabulary;

beforeAll(async () => {
  const seedLoad = await loadCorpus(SEEDS_DIR);
  if (!seedLoad.corpus) throw new Error("the seeds do not load");
  seeds = buildVocabulary(seedLoad.corpus.articles);

  const files: Record<string, string> = {};
  for (let i = 1; i <= 30; i++) {
    files[`ferry-${i}.md`] = articleText({
      outlet: "Harbour Post",
      headline: `Ferry timetable update number ${i} for the Vell and Dunmore crossing`,
      url: `https://harbourpost.example/ferry-${i}`,
      paragraphs: [
        `Ferry timetable update ${i}: sailings from Vell to Dunmore leave at ${i} minutes past the hour.`,
        "Ferries, ferrymen, ferrying and ferryboats all appear in this paragraph about the ferry.",
      ],
    });
  }
  const ferryLoad = await loadCorpus(await folders.create(files));
  if (!ferryLoad.corpus) throw new Error("the ferry corpus does not load");
  ferries = buildVocabulary(ferryLoad.corpus.articles);
});

describe("what was typed comes first", () => {
  it("offers the typed text itself as the first choice", () => {
    expect(suggest(seeds, "what did Lee say about the Xiao")[0]).toBe(
      "what did Lee say about the Xiao",
    );
  });

  it("collapses runs of whitespace and leading spaces in the typed text", () => {
    expect(suggest(seeds, "   what   did\tLee say")[0]).toBe("what did Lee say");
  });

  it("leaves typed text over 100 characters out, since a choice is submitted as the question", () => {
    const typed = `${"why ".repeat(30)}did xi give lee a pho`;
    const choices = suggest(seeds, typed);
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) {
      expect(choice.length).toBeLessThanOrEqual(MAX_CHOICE_LENGTH);
      expect(choice.startsWith("why why")).toBe(false);
    }
  });

  it("offers only headlines when nothing was typed", () => {
    const headlines = seeds.headlines;
    expect(suggest(seeds, "")).toEqual(headlines);
    expect(suggest(seeds, "   ")).toEqual(headlines);
  });
});

describe("the last word is completed from the words of the corpus", () => {
  it("completes a word the articles use, keeping what comes before", () => {
    expect(suggest(seeds, "what did Lee say about the Xiao")).toContain(
      "what did Lee say about the Xiaomi",
    );
  });

  it("completes regardless of case and accents", () => {
    expect(suggest(seeds, "JAJANG")).toContain("jajangmyeon");
  });

  it("does not complete after a trailing space", () => {
    expect(suggest(seeds, "what about the ")).toEqual(["what about the"]);
  });

  it("offers the most frequent completions first", () => {
    const choices = suggest(ferries, "ferr");
    expect(choices.slice(0, 2)).toEqual(["ferr", "ferry"]);
  });
});

describe("headlines are offered", () => {
  it("offers the headlines that share a word with the typed text", () => {
    expect(suggest(seeds, "backdoor phone")).toEqual([
      "backdoor phone",
      "South Korean leader Lee snaps Xi selfie with Chinese 'backdoor' phone",
    ]);
  });

  it("offers every headline about the typed word", () => {
    const choices = suggest(seeds, "selfie");
    for (const headline of seeds.headlines) {
      if (/selfie/i.test(headline)) expect(choices).toContain(headline);
    }
  });
});

describe("Discord's limits on choices", () => {
  it(`offers at most ${MAX_CHOICES} choices even when more headlines match`, () => {
    expect(ferries.headlines).toHaveLength(30);
    const choices = suggest(ferries, "ferry timetable");
    expect(choices).toHaveLength(MAX_CHOICES);
    expect(choices[0]).toBe("ferry timetable");
  });

  it("never offers more than 25 choices, nor one over 100 characters, nor a blank or repeated one", () => {
    const typed = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc
        .array(fc.constantFrom("ferry", "Vell", "f", "D", "selfie", "Xi", " ", "what", "é"), {
          maxLength: 30,
        })
        .map((w) => w.join(" ")),
    );
    fc.assert(
      fc.property(typed, fc.boolean(), (input, useSeeds) => {
        const choices = suggest(useSeeds ? seeds : ferries, input);
        expect(choices.length).toBeLessThanOrEqual(MAX_CHOICES);
        expect(new Set(choices).size).toBe(choices.length);
        for (const choice of choices) {
          expect(choice.length).toBeLessThanOrEqual(MAX_CHOICE_LENGTH);
          expect(choice.trim()).not.toBe("");
        }
      }),
      { numRuns: 300 },
    );
  });
});
