/**
 * Exact BM25 over typed arrays: the reference lower bound of the peer comparison
 * (`measure-peers.ts`). Every posting of every question term is scored (no pruning, no
 * approximation), into one preallocated score array; the top ten are picked from the
 * paragraphs touched. What it leaves out is what any real engine adds: fuzzy and prefix
 * matching, fields, stored documents, updates.
 */

/** BM25's usual constants (Lucene's and MiniSearch's defaults). */
const K1 = 1.2;
const B = 0.75;

export type Tokenize = (text: string) => string[];

export class TypedBm25 {
  readonly #tokenize: Tokenize;
  readonly #termIds = new Map<string, number>();
  /** Postings of term t: documents and term frequencies at offsets[t] .. offsets[t + 1]. */
  #offsets = new Int32Array(0);
  #documents = new Int32Array(0);
  #frequencies = new Uint16Array(0);
  /** Per document: K1 · (1 − B + B · length / average length), precomputed. */
  #lengthTerms = new Float32Array(0);
  #scores = new Float32Array(0);
  #touched = new Int32Array(0);

  constructor(tokenize: Tokenize) {
    this.#tokenize = tokenize;
  }

  get documentCount(): number {
    return this.#lengthTerms.length;
  }

  /** Indexes the texts; document i is texts[i]. */
  build(texts: readonly string[]): void {
    const n = texts.length;
    const lengths = new Uint32Array(n);
    // First pass: each document's distinct terms and their counts, as flat arrays.
    const docTerms: Int32Array[] = [];
    const docCounts: Uint16Array[] = [];
    const df: number[] = [];
    let totalLength = 0;
    for (let d = 0; d < n; d++) {
      const counts = new Map<number, number>();
      const tokens = this.#tokenize(texts[d] as string);
      for (const token of tokens) {
        let id = this.#termIds.get(token);
        if (id === undefined) {
          id = df.length;
          this.#termIds.set(token, id);
          df.push(0);
        }
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      lengths[d] = tokens.length;
      totalLength += tokens.length;
      const terms = new Int32Array(counts.size);
      const tfs = new Uint16Array(counts.size);
      let i = 0;
      for (const [id, count] of counts) {
        terms[i] = id;
        tfs[i++] = Math.min(count, 0xffff);
        df[id] = (df[id] as number) + 1;
      }
      docTerms.push(terms);
      docCounts.push(tfs);
    }
    // Second pass: postings laid out term by term.
    const offsets = new Int32Array(df.length + 1);
    for (let t = 0; t < df.length; t++) offsets[t + 1] = (offsets[t] as number) + (df[t] as number);
    const total = offsets[df.length] as number;
    const documents = new Int32Array(total);
    const frequencies = new Uint16Array(total);
    const fill = offsets.slice(0, df.length);
    for (let d = 0; d < n; d++) {
      const terms = docTerms[d] as Int32Array;
      const tfs = docCounts[d] as Uint16Array;
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i] as number;
        const at = fill[t] as number;
        documents[at] = d;
        frequencies[at] = tfs[i] as number;
        fill[t] = at + 1;
      }
    }
    const average = n > 0 ? totalLength / n : 1;
    const lengthTerms = new Float32Array(n);
    for (let d = 0; d < n; d++) {
      lengthTerms[d] = K1 * (1 - B + (B * (lengths[d] as number)) / (average || 1));
    }
    this.#offsets = offsets;
    this.#documents = documents;
    this.#frequencies = frequencies;
    this.#lengthTerms = lengthTerms;
    this.#scores = new Float32Array(n);
    this.#touched = new Int32Array(n);
  }

  /** The ids of the best `limit` documents for the query, best first (OR of its terms). */
  search(query: string, limit = 10): number[] {
    const n = this.#lengthTerms.length;
    const scores = this.#scores;
    const touched = this.#touched;
    let touchedCount = 0;
    const seen = new Set<number>();
    for (const token of this.#tokenize(query)) {
      const t = this.#termIds.get(token);
      if (t === undefined || seen.has(t)) continue;
      seen.add(t);
      const from = this.#offsets[t] as number;
      const to = this.#offsets[t + 1] as number;
      const df = to - from;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = from; i < to; i++) {
        const d = this.#documents[i] as number;
        const tf = this.#frequencies[i] as number;
        if (scores[d] === 0) touched[touchedCount++] = d;
        scores[d] =
          (scores[d] as number) + (idf * tf * (K1 + 1)) / (tf + (this.#lengthTerms[d] as number));
      }
    }
    // The best `limit`, kept sorted in a small array (insertion), then the scores cleared.
    const best: number[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i] as number;
      const score = scores[d] as number;
      if (best.length < limit) best.push(d);
      else if (score > (scores[best[limit - 1] as number] as number)) best[limit - 1] = d;
      else continue;
      for (let at = best.length - 1; at > 0; at--) {
        const above = best[at - 1] as number;
        if ((scores[above] as number) >= score) break;
        best[at - 1] = d;
        best[at] = above;
      }
    }
    for (let i = 0; i < touchedCount; i++) scores[touched[i] as number] = 0;
    return best;
  }
}
