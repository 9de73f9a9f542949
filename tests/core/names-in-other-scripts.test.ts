import { beforeAll, describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/core/analyzer.js";
import { answer } from "../../src/core/answer.js";
import { loadCorpus } from "../../src/core/corpus.js";
import { buildPassageIndex, type PassageIndex } from "../../src/core/passage-index.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

// Korean and Chinese readers type the key names in their own script; the articles are in
// English. The alias table holds those spellings, so the English passage is found.
let index: PassageIndex;

beforeAll(async () => {
  const load = await loadCorpus(SEEDS_DIR);
  if (!load.corpus) throw new Error("the seeds do not load");
  index = buildPassageIndex(load.corpus.articles, createAnalyzer(load.corpus.aliases));
});

describe("questions that name people, places and companies in Hangul or Hanzi", () => {
  const cases: Array<[string, RegExp]> = [
    ["what phone did 시진핑 give 이재명 as a gift", /Xiaomi phone that Xi had gifted/],
    ["what did 习近平 give 李在明 at apec", /Xiaomi/],
    ["小米 phone selfie at the state dinner in 北京", /Xiaomi smartphone/],
    ["why was 삼성 upset about the 샤오미 selfie", /Samsung/],
    ["when did 이재명 arrive in 베이징", /Beijing on Sunday|arriving in Beijing/],
  ];
  for (const [question, expected] of cases) {
    it(`answers "${question}" from the English passage`, () => {
      const result = answer(index, question);
      expect(result.answered).toBe(true);
      expect(result.results[0]?.text).toMatch(expected);
    });
  }
});
