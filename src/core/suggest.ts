/**
 * Question completions for autocomplete, drawn from the words and headlines of the corpus.
 */

import { foldText, tokenizeFolded } from "./analyzer.js";
import type { Article } from "./article.js";
import { truncateAtWord } from "./text.js";

/** Words of the corpus as readers write them, for completing the word being typed. */
export interface Vocabulary {
  /** Folded words in alphabetical order, for prefix search. */
  readonly words: readonly string[];
  /** How to show each word of `words` (its most common spelling in the articles). */
  readonly display: readonly string[];
  /** How often each word of `words` occurs. */
  readonly counts: Uint32Array;
  readonly headlines: readonly string[];
}

export const MAX_CHOICES = 25;
export const MAX_CHOICE_LENGTH = 100;

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*[\p{L}\p{N}]/gu;

export function buildVocabulary(articles: readonly Article[]): Vocabulary {
  // Spelling → occurrences, then each spelling folded once (not once per occurrence).
  const occurrences = new Map<string, number>();
  for (const article of articles) {
    for (const paragraph of article.paragraphs) {
      for (const word of paragraph.text.match(WORD) ?? []) {
        if (word.length >= 3) occurrences.set(word, (occurrences.get(word) ?? 0) + 1);
      }
    }
  }
  const best = new Map<string, { text: string; score: number; count: number }>();
  for (const [form, n] of occurrences) {
    const key = foldText(form);
    // Prefer the lower-case form for ordinary words so suggestions read as typed questions.
    const score = n + (form === form.toLowerCase() ? 0.5 : 0);
    const entry = best.get(key);
    if (entry === undefined) best.set(key, { text: form, score, count: n });
    else {
      entry.count += n;
      if (score > entry.score) {
        entry.text = form;
        entry.score = score;
      }
    }
  }
  const words = [...best.keys()].sort();
  return {
    words,
    display: words.map((w) => best.get(w)?.text ?? w),
    counts: Uint32Array.from(words, (w) => best.get(w)?.count ?? 0),
    headlines: [...new Set(articles.map((a) => a.headline))],
  };
}

/**
 * Up to {@link MAX_CHOICES} completions of what the user has typed so far, each at most
 * {@link MAX_CHOICE_LENGTH} characters. The typed text itself comes first, so free text
 * always stays possible; then completions of its last word; then matching headlines.
 */
export function suggest(vocabulary: Vocabulary, input: string): string[] {
  const typed = input.replace(/\s+/g, " ").trimStart();
  const choices: string[] = [];
  // A choice is submitted as the question, so one that does not fit is left out rather than
  // cut short; typing on without picking a choice still submits the whole text.
  const add = (choice: string) => {
    const trimmed = choice.trim();
    if (trimmed === "" || trimmed.length > MAX_CHOICE_LENGTH) return;
    if (!choices.includes(trimmed) && choices.length < MAX_CHOICES) choices.push(trimmed);
  };
  if (typed.trim() !== "") add(typed);

  const lastWord = typed.match(/[\p{L}\p{N}'’-]+$/u)?.[0];
  if (lastWord !== undefined && !typed.endsWith(" ")) {
    const stem = typed.slice(0, typed.length - lastWord.length);
    for (const word of completions(vocabulary, foldText(lastWord), 12)) add(stem + word);
  }

  const typedWords = tokenizeFolded(foldText(typed)).filter((w) => w.length >= 3);
  const matching = vocabulary.headlines.filter((h) => {
    const folded = foldText(h);
    return typedWords.length === 0 || typedWords.some((w) => folded.includes(w));
  });
  for (const headline of matching) add(truncateAtWord(headline, MAX_CHOICE_LENGTH));
  return choices;
}

/** The most frequent corpus words that start with `prefix` (folded), longer than the prefix. */
function completions(vocabulary: Vocabulary, prefix: string, limit: number): string[] {
  if (prefix.length === 0) return [];
  const { words, display, counts } = vocabulary;
  let low = 0;
  let high = words.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((words[mid] as string) < prefix) low = mid + 1;
    else high = mid;
  }
  const found: number[] = [];
  // Bounded scan: a one-letter prefix in a large corpus matches thousands of words.
  for (let i = low; i < words.length && i < low + 2000; i++) {
    const word = words[i] as string;
    if (!word.startsWith(prefix)) break;
    if (word !== prefix) found.push(i);
  }
  return found
    .sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0))
    .slice(0, limit)
    .map((i) => display[i] as string);
}
