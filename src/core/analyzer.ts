/**
 * The analyzer: how text (an article paragraph or a question) becomes search terms.
 *
 * 1. Fold: lower case, accents removed, curly quotes straightened, "3,400" read as 3400,
 *    "U.S." as "us", contractions ("lee's", "should've") reduced to their word.
 * 2. Tokenize into runs of letters or digits; hyphens separate ("Jae-myung" → jae, myung).
 * 3. Rewrite aliases from the alias table, longest match first ("kyongju" → gyeongju).
 * 4. Bring irregular verb forms to their base form ("took" → take, "met" → meet), drop
 *    English stop words, then stem (Porter), so "agreements" and "agreement" meet.
 *
 * Articles and questions go through the same steps, so whatever spelling a user types is
 * compared with the articles in the same form.
 */
import { readFileSync } from "node:fs";
import { stemmer } from "stemmer";
// One module per language: the package's main module holds the lists of 62 languages, which
// the index thread would otherwise keep (about 1 MB of heap).
import { eng as englishStopWords } from "stopword/src/stopwords_eng.js";
import { kor as koreanStopWords } from "stopword/src/stopwords_kor.js";
import { zho as chineseStopWords } from "stopword/src/stopwords_zho.js";
import irregularVerbs from "wink-lexicon/src/irregular-verbs.js";
import type { AliasTable } from "./aliases.js";
import { stripDiacritics } from "./text.js";
import { subtlexRarity, type WordRarity } from "./word-rarity.js";
import { type PreparedWords, type WordVectors, wordVectors } from "./word-vectors.js";
import { NO_RELATIVES, type Relatives, type Thesaurus, wordnet } from "./wordnet.js";

// Words that carry no content in a question typed in chat, beyond the general English list:
// question words, speech verbs ("what did X say"), chat shorthand.
const EXTRA_STOP_WORDS = [
  "when",
  "why",
  "whom",
  "whose",
  "whats",
  "wheres",
  "whos",
  "does",
  "doing",
  "done",
  "going",
  "gonna",
  "wanna",
  "say",
  "says",
  "saying",
  "tell",
  "told",
  "talk",
  "talked",
  "talking",
  "please",
  "okay",
  // The pronoun; the country is "US" or "U.S." in capitals, which the alias table rewrites.
  "us",
  "yeah",
  "yes",
  "no",
  "anything",
  "something",
  "someone",
  "anyone",
  "thing",
  "things",
  "know",
  "its",
  "it's",
  "be",
  "being",
  "else",
  "just",
  "really",
  "actually",
  "there",
  "any",
  "either",
  "besides",
  "beside",
  "anywhere",
  "somewhere",
  "everywhere",
  "nowhere",
  "except",
  "instead",
  "ever",
  "even",
  "whether",
  "though",
  "although",
  "perhaps",
  "maybe",
  "think",
  "guess",
  "suppose",
  "wonder",
  "mean",
  "happen",
  "happened",
  "happens",
  "others",
  "according",
];

const STOP_WORDS: ReadonlySet<string> = new Set([
  ...englishStopWords.map((w) => w.toLowerCase()),
  ...EXTRA_STOP_WORDS,
  // Korean particles and Chinese function words, left over when a name written in Hangul or
  // Hanzi has been rewritten to its English spelling ("이재명은" → lee 은).
  ...koreanStopWords,
  ...chineseStopWords,
  ..."은 는 이 가 을 를 의 에 에서 에게 한테 께 와 과 랑 이랑 도 만 로 으로".split(" "),
]);

/** Chat shorthand and apostrophe-less contractions, with the words they stand for ("b4" → before). */
const SHORTHAND: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(
    (
      JSON.parse(
        readFileSync(new URL("./lexicon/chat-shorthand.json", import.meta.url), "utf8"),
      ) as { words: Record<string, string> }
    ).words,
  ).map(([short, long]) => [short, long === "" ? [] : long.split(" ")]),
);

/** Han, Hangul and kana: scripts written without spaces between words, or with particles attached. */
const CJK = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const wordSegmenter = new Intl.Segmenter("zh", { granularity: "word" });

// Words the general list treats as stop words but that carry meaning in news questions.
const KEEP: ReadonlySet<string> = new Set([
  "first",
  "last",
  "new",
  "old",
  "before",
  "after",
  "since",
  "never",
]);

const TOKEN = /\d+(?:\.\d+)?|[\p{L}\p{N}]+/gu;

/** Lower-cases and folds text so that spelling variants of one word compare equal. */
export function foldText(text: string): string {
  return (
    stripDiacritics(text.normalize("NFKC").toLowerCase())
      .replace(/[‘’‛`´]/g, "'")
      // Dotted acronyms: "u.s." → "us", "u.n." → "un".
      .replace(/\b(?:\p{L}\.){2,}/gu, (m) => m.replace(/\./g, ""))
      // Thousands separators: "3,400" → "3400".
      .replace(/(\d),(?=\d{3}\b)/g, "$1")
      // Contractions and possessives carry no search meaning of their own.
      .replace(/(\p{L})'(?:s|ve|re|ll|d|m|t)\b/gu, "$1")
      .replace(/(\p{L})s'(?=\s|$)/gu, "$1s")
  );
}

/** Splits folded text into tokens. */
export function tokenizeFolded(folded: string): string[] {
  return folded.match(TOKEN) ?? [];
}

export interface Analyzer {
  /** Text → tokens (folded, aliases rewritten), before stop words and stemming. */
  tokenize(text: string): string[];
  /** One token → its index term, or null for a stop word. */
  processTerm(token: string): string | null;
  /** Text → index terms, in order, stop words removed. */
  terms(text: string): readonly string[];
  /** Index terms that stand in for `term` at a lower weight (from the alias table's `related`). */
  related(term: string): readonly string[];
  /**
   * Synonyms of a token (a folded word), from the thesaurus. None for the alias table's own
   * spellings, which are names and terms of this event ("lee", "xi"), not dictionary words,
   * nor for words of one or two letters.
   */
  synonyms(token: string): readonly string[];
  /**
   * WordNet relatives of a token or a phrase of tokens ("turn down"), by kind; none for the
   * alias table's own spellings or for words of one or two letters.
   */
  relatives(tokens: string): Relatives;
  /** How much a token counts, 0.2 to 1, by how rare it is in everyday English. */
  rarity(token: string): number;
  /** Words prepared for `nearest`. */
  prepare(tokens: readonly string[]): PreparedWords;
  /** How close in meaning the nearest prepared token is to `token`, 0 to 1 (1 when it is one). */
  nearest(token: string, prepared: PreparedWords): number;
  /** Whether a folded token is a stop word. */
  isStopWord(token: string): boolean;
}

const NO_TERMS: readonly string[] = [];
const STEM_CACHE_SIZE = 100_000;
// The terms of short texts: the thesaurus's words, which every question analyses again.
const TERMS_CACHE_SIZE = 20_000;
const TERMS_CACHE_TEXT = 40;

/** Parts of the analysis that can be switched off, to measure what each adds. */
export interface AnalyzerOptions {
  stopWords: boolean;
  stemming: boolean;
  /** Synonyms of question words (WordNet by default). */
  thesaurus: Thesaurus;
  /** How informative a word is in everyday English (SUBTLEX by default). */
  rarity: WordRarity;
  /** How close two words are in meaning (word vectors by default). */
  vectors: WordVectors;
}

/** The full analysis; the lexical resources are loaded on first use and shared. */
export function defaultAnalyzerOptions(): AnalyzerOptions {
  return {
    stopWords: true,
    stemming: true,
    thesaurus: wordnet(),
    rarity: subtlexRarity(),
    vectors: wordVectors(),
  };
}

/** Builds the analyzer for an alias table. The result is pure and can be shared. */
export function createAnalyzer(
  aliases: AliasTable = { groups: [] },
  options: AnalyzerOptions = defaultAnalyzerOptions(),
): Analyzer {
  const isStopWord = (token: string) =>
    options.stopWords && STOP_WORDS.has(token) && !KEEP.has(token);
  const rewriter = aliasRewriter(aliases);
  const canonicalTokens = rewriter.canonicalTokens;

  const stemCache = new Map<string, string | null>();
  const processTerm = (token: string): string | null => {
    const cached = stemCache.get(token);
    if (cached !== undefined) return cached;
    const base = options.stemming ? baseForm(token) : token;
    let term: string | null;
    if (isStopWord(base)) term = null;
    else if (options.stemming && /^[a-z]{3,}$/.test(base)) term = stemmer(base);
    else term = base;
    // The cache only grows with the vocabulary; cap it so hostile input cannot grow it forever.
    if (stemCache.size < STEM_CACHE_SIZE) stemCache.set(token, term);
    return term;
  };

  const tokenize = rewriter.tokenize;

  const relatedTerms = new Map<string, string[]>();
  for (const group of aliases.related ?? []) {
    const terms = group.flatMap((word) =>
      tokenize(word)
        .map(processTerm)
        .filter((t): t is string => t !== null),
    );
    // Multi-word entries relate as their words; a word is never related to itself.
    for (const term of terms) {
      const list = relatedTerms.get(term) ?? [];
      for (const other of terms) if (other !== term && !list.includes(other)) list.push(other);
      relatedTerms.set(term, list);
    }
  }

  const termsCache = new Map<string, readonly string[]>();
  const terms = (text: string): readonly string[] => {
    const cached = termsCache.get(text);
    if (cached !== undefined) return cached;
    const result = tokenize(text)
      .map(processTerm)
      .filter((t): t is string => t !== null);
    if (text.length <= TERMS_CACHE_TEXT && termsCache.size < TERMS_CACHE_SIZE) {
      termsCache.set(text, result);
    }
    return result;
  };

  return {
    tokenize,
    processTerm,
    terms,
    related: (term) => relatedTerms.get(term) ?? NO_TERMS,
    synonyms: (token) =>
      token.length < 3 || canonicalTokens.has(token) ? NO_TERMS : options.thesaurus.synonyms(token),
    relatives: (tokens) =>
      tokens.length < 3 || canonicalTokens.has(tokens)
        ? NO_RELATIVES
        : options.thesaurus.relatives(tokens),
    rarity: (token) => options.rarity.weight(token),
    prepare: (tokens) => options.vectors.prepare(tokens),
    nearest: (token, prepared) => Math.max(0, options.vectors.nearest(token, prepared) ?? 0),
    isStopWord,
  };
}

interface Rewrite {
  from: string[];
  to: string[];
}

/**
 * Tokenizing with the alias table applied, in the order that keeps each rule simple:
 *
 * 1. Variants written with capitals ("US", "U.S.", "PM") match only as written, before case
 *    is folded, so the pronoun "us" stays a pronoun; the lower-case ones match in any case.
 * 2. Variants in Hangul or Hanzi replace their characters wherever they occur: those scripts
 *    attach particles to a name (이재명은) or write no spaces at all (习近平送给李在明).
 * 3. What remains in those scripts is split into words by `Intl.Segmenter`.
 * 4. Chat shorthand is expanded ("b4" → before), then the other variants are rewritten, longest
 *    first, token by token.
 *
 * No variant is rewritten right after a number: "3 PM" is a time, not a prime minister.
 */
function aliasRewriter(aliases: AliasTable): {
  tokenize: (text: string) => string[];
  canonicalTokens: ReadonlySet<string>;
} {
  const rewrites = new Map<string, Rewrite[]>();
  const canonicalTokens = new Set<string>();
  const exact: Array<{ from: string; to: string }> = [];
  const cjk: Array<{ from: string; to: string }> = [];
  for (const group of aliases.groups) {
    const to = tokenizeFolded(foldText(group.canonical));
    for (const token of to) canonicalTokens.add(token);
    for (const variant of group.variants) {
      if (CJK.test(variant)) {
        cjk.push({ from: foldText(variant).replace(/\s+/g, ""), to: ` ${to.join(" ")} ` });
        continue;
      }
      if (/\p{Lu}/u.test(variant)) {
        exact.push({ from: variant, to: ` ${to.join(" ")} ` });
        continue;
      }
      const from = tokenizeFolded(foldText(variant));
      const first = from[0];
      if (first === undefined || sameTokens(from, to)) continue;
      const list = rewrites.get(first) ?? [];
      list.push({ from, to });
      list.sort((a, b) => b.from.length - a.from.length);
      rewrites.set(first, list);
    }
  }
  const longestFirst = (a: { from: string }, b: { from: string }) => b.from.length - a.from.length;
  const exactPattern = alternation(
    exact.sort(longestFirst).map((e) => e.from),
    true,
  );
  const exactTo = new Map(exact.map((e) => [e.from, e.to]));
  const cjkPattern = alternation(
    cjk.sort(longestFirst).map((e) => e.from),
    false,
  );
  const cjkTo = new Map(cjk.map((e) => [e.from, e.to]));

  const tokenize = (text: string): string[] => {
    let raw = text;
    if (exactPattern)
      raw = raw.replace(
        exactPattern,
        (_match, before: string, variant: string) => `${before}${exactTo.get(variant)}`,
      );
    let folded = foldText(raw);
    const hasCjk = CJK.test(folded);
    if (hasCjk && cjkPattern)
      folded = folded.replace(
        cjkPattern,
        (_match, before: string, variant: string) => `${before}${cjkTo.get(variant)}`,
      );
    const tokens: string[] = [];
    for (const token of tokenizeFolded(folded)) {
      if (hasCjk && CJK.test(token)) {
        for (const { segment, isWordLike } of wordSegmenter.segment(token)) {
          if (isWordLike) tokens.push(segment);
        }
        continue;
      }
      const expansion = SHORTHAND.get(token);
      if (expansion) tokens.push(...expansion);
      else tokens.push(token);
    }
    if (rewrites.size === 0) return tokens;
    const out: string[] = [];
    for (let i = 0; i < tokens.length; ) {
      const token = tokens[i] as string;
      const afterNumber = i > 0 && /^\d/.test(tokens[i - 1] as string);
      const candidates = afterNumber ? undefined : rewrites.get(token);
      const match = candidates?.find((c) => c.from.every((t, k) => tokens[i + k] === t));
      if (match) {
        out.push(...match.to);
        i += match.from.length;
      } else {
        out.push(token);
        i++;
      }
    }
    return out;
  };
  return { tokenize, canonicalTokens };
}

/**
 * One regular expression matching any of `variants`, not after a number. Captures what came
 * before (kept) and the variant. Case-sensitive variants must also stand as whole words.
 */
function alternation(variants: string[], wholeWords: boolean): RegExp | undefined {
  if (variants.length === 0) return undefined;
  const escaped = variants.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const edge = wholeWords ? "(?![\\p{L}\\p{N}])" : "";
  const start = wholeWords ? "(^|[^\\p{L}\\p{N}])" : "()";
  return new RegExp(`${start}(?<!\\d\\s?)(${escaped.join("|")})${edge}`, "gu");
}

function sameTokens(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

const IRREGULAR_VERBS = irregularVerbs as Readonly<Record<string, string>>;

/**
 * The base form of an irregular verb ("took" → take), which stemming cannot find. Regular
 * forms ("discussed") are left to the stemmer.
 */
function baseForm(token: string): string {
  const base = Object.hasOwn(IRREGULAR_VERBS, token) ? IRREGULAR_VERBS[token] : undefined;
  return base === undefined || token.startsWith(base) ? token : base;
}
