import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAliases } from "../../src/core/aliases.js";
import { type Analyzer, createAnalyzer, foldText } from "../../src/core/analyzer.js";
import { UNIFORM_RARITY } from "../../src/core/word-rarity.js";
import { NO_VECTORS } from "../../src/core/word-vectors.js";
import { NO_THESAURUS } from "../../src/core/wordnet.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

/** The analyzer with the project's real alias table. */
let analyzer: Analyzer;

beforeAll(async () => {
  const { table, problems } = parseAliases(
    "seeds/aliases.yaml",
    await readFile(path.join(SEEDS_DIR, "aliases.yaml")),
  );
  expect(problems).toEqual([]);
  analyzer = createAnalyzer(table);
});

describe("folding makes spelling variants of one name the same terms", () => {
  const spellings = [
    "Lee Jae-myung",
    "Lee Jaemyung",
    "LEE JAE MYUNG",
    "Lee Jae Myung’s",
    "lee jae myeong",
  ];
  for (const spelling of spellings) {
    it(`reads "${spelling}" as the president Lee`, () => {
      expect(analyzer.terms(`${spelling} met Xi Jinping`)).toEqual(["lee", "meet", "xi"]);
    });
  }

  it("removes accents and straightens curly apostrophes", () => {
    expect(foldText("Kyŏngju’s Café")).toBe("kyongju cafe");
    expect(analyzer.terms("Kyŏngju")).toEqual(analyzer.terms("Gyeongju"));
  });

  it("tells the president from Samsung's chairman", () => {
    expect(analyzer.terms("Lee Jae-yong")).toEqual(["jaeyong"]);
    expect(analyzer.terms("Lee Jae-myung")).toEqual(["lee"]);
  });

  it("rewrites the longest variant first", () => {
    expect(analyzer.tokenize("Terminal High Altitude Area Defense")).toEqual(["thaad"]);
    expect(analyzer.tokenize("the second world war")).toEqual(["the", "ww2"]);
  });
});

describe("numbers and abbreviations", () => {
  it('reads "3,400" as 3400 and "12,345,678" as one number', () => {
    expect(analyzer.terms("shared 3,400 times")).toEqual(["share", "3400", "time"]);
    expect(analyzer.tokenize("12,345,678")).toEqual(["12345678"]);
  });

  it("keeps a decimal number whole", () => {
    expect(analyzer.tokenize("3.5 percent")).toEqual(["3.5", "percent"]);
  });

  it('reads "U.S." and "US" as the United States, and "us" as a pronoun', () => {
    expect(foldText("U.S. talks")).toBe("us talks");
    expect(analyzer.terms("U.S. President")).toEqual(["usa", "presid"]);
    expect(analyzer.terms("US ties")).toEqual(["usa", "ti"]);
    expect(analyzer.terms("the United States")).toEqual(["usa"]);
    expect(analyzer.terms("did xi tell us")).toEqual(["xi"]);
  });

  it('reads "PM" as a prime minister, but not after a number', () => {
    expect(analyzer.terms("the PM met Lee")).toEqual(["prime", "minist", "meet", "lee"]);
    expect(analyzer.terms("at 3 PM")).toEqual(["3", "pm"]);
    expect(analyzer.terms("at 3 pm")).toEqual(["3", "pm"]);
  });

  it("does not read a title as the president it often goes with", () => {
    expect(analyzer.terms("which south korean president was impeached")).toEqual([
      "south",
      "korean",
      "presid",
      "impeach",
    ]);
  });
});

describe("names in Hangul and Hanzi", () => {
  it("rewrites them to the English spelling the articles use", () => {
    expect(analyzer.terms("what phone did 시진핑 give 이재명")).toEqual([
      "phone",
      "xi",
      "give",
      "lee",
    ]);
    expect(analyzer.terms("习近平 李在明 小米 北京")).toEqual(["xi", "lee", "xiaomi", "beij"]);
  });

  it("drops the particles Korean attaches to a name", () => {
    expect(analyzer.terms("이재명은 시진핑과")).toEqual(["lee", "xi"]);
  });

  it("splits Chinese written without spaces into words", () => {
    expect(analyzer.terms("习近平送给李在明什么手机")).toEqual([
      "xi",
      "送给",
      "lee",
      "什么",
      "手机",
    ]);
  });
});

describe("chat shorthand", () => {
  it("is read as the words it stands for", () => {
    expect(analyzer.terms("wut did ppl say abt the govt b4 the trip")).toEqual(
      analyzer.terms("what did people say about the government before the trip"),
    );
  });

  it("drops discourse markers that say nothing about the question", () => {
    expect(analyzer.terms("tbh idk why lol")).toEqual([]);
  });
});

describe("stop words", () => {
  it("are dropped, question words and chat shorthand included", () => {
    expect(analyzer.terms("what is the of and")).toEqual([]);
    expect(analyzer.terms("pls tell me what they talked about tbh")).toEqual([]);
  });

  it("keep the words that carry meaning in news questions", () => {
    expect(analyzer.terms("the first visit since 2019")).toEqual([
      "first",
      "visit",
      "sinc",
      "2019",
    ]);
  });

  it("can be switched off", () => {
    const plain = createAnalyzer(
      { groups: [] },
      {
        stopWords: false,
        stemming: true,
        thesaurus: NO_THESAURUS,
        rarity: UNIFORM_RARITY,
        vectors: NO_VECTORS,
      },
    );
    // "is" still becomes its base form: only the stop-word list is off.
    expect(plain.terms("what is the deal")).toEqual(["what", "be", "the", "deal"]);
  });
});

describe("verb forms and stemming", () => {
  it("brings irregular past forms to their base form", () => {
    expect(analyzer.terms("Lee met Xi")).toEqual(analyzer.terms("Lee meets Xi"));
    expect(analyzer.terms("Xi gave a phone")).toEqual(["xi", "give", "phone"]);
    expect(analyzer.terms("Lee took a selfie")).toEqual(analyzer.terms("Lee take a selfie"));
    expect(analyzer.terms("they went to Shanghai")).toEqual(["go", "shanghai"]);
  });

  it("stems plurals and derived forms to one term", () => {
    expect(analyzer.terms("agreements")).toEqual(analyzer.terms("agreement"));
    expect(analyzer.terms("agreement")).toEqual(["agreement"]);
    expect(analyzer.terms("selfies")).toEqual(analyzer.terms("selfie"));
    expect(analyzer.terms("discussed")).toEqual(analyzer.terms("discussing"));
  });

  it("can be switched off", () => {
    const plain = createAnalyzer(
      { groups: [] },
      {
        stopWords: true,
        stemming: false,
        thesaurus: NO_THESAURUS,
        rarity: UNIFORM_RARITY,
        vectors: NO_VECTORS,
      },
    );
    expect(plain.terms("agreements met")).toEqual(["agreements", "met"]);
  });
});

describe("related words and rarity", () => {
  it("relates the words of one group of the table, never a word to itself", () => {
    expect(analyzer.related("deal")).toEqual(["agreement", "accord", "pact", "mou"]);
    expect(analyzer.related("dinner")).toEqual(["banquet", "feast"]);
    expect(analyzer.related("summit")).not.toContain("summit");
    expect(analyzer.related("selfie")).toEqual([]);
  });

  it("counts everyday words less than rare ones", () => {
    expect(analyzer.rarity("want")).toBeLessThan(0.5);
    expect(analyzer.rarity("jajangmyeon")).toBe(1);
  });

  it("finds synonyms of a common word", () => {
    expect(analyzer.synonyms("phone")).toContain("telephone");
  });
});
