/**
 * A fixed list of words, held compactly: their characters in one typed array and an
 * open-addressing hash table of their positions, rather than a Map of tens of thousands of
 * strings (a string object and a map entry per word). The lexical resources (word vectors,
 * word rarity) look words up in one of these.
 */
export class WordTable {
  /** The words' UTF-16 code units, one after another. */
  readonly #chars: Uint16Array;
  /** Where each word starts in `#chars`; one more entry, where the last ends. */
  readonly #starts: Uint32Array;
  /** Per slot, a word's position plus one; 0 for an empty slot. */
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(words: readonly string[]) {
    let length = 0;
    for (const word of words) length += word.length;
    this.#chars = new Uint16Array(length);
    this.#starts = new Uint32Array(words.length + 1);
    let at = 0;
    words.forEach((word, i) => {
      this.#starts[i] = at;
      for (let c = 0; c < word.length; c++) this.#chars[at++] = word.charCodeAt(c);
    });
    this.#starts[words.length] = at;
    // At most half full, so that a probe ends soon.
    let size = 2;
    while (size < words.length * 2) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
    words.forEach((word, i) => {
      let slot = hash(word) & this.#mask;
      for (;;) {
        const held = this.#slots[slot] as number;
        // A word listed twice takes its last position, as Map.set would.
        if (held === 0 || this.#equals(held - 1, word)) {
          this.#slots[slot] = i + 1;
          break;
        }
        slot = (slot + 1) & this.#mask;
      }
    });
  }

  /** The word's position in the list the table was built from; -1 when it is not there. */
  indexOf(word: string): number {
    let slot = hash(word) & this.#mask;
    for (;;) {
      const held = this.#slots[slot] as number;
      if (held === 0) return -1;
      if (this.#equals(held - 1, word)) return held - 1;
      slot = (slot + 1) & this.#mask;
    }
  }

  #equals(index: number, word: string): boolean {
    const start = this.#starts[index] as number;
    if ((this.#starts[index + 1] as number) - start !== word.length) return false;
    for (let c = 0; c < word.length; c++) {
      if (this.#chars[start + c] !== word.charCodeAt(c)) return false;
    }
    return true;
  }
}

/** FNV-1a over the UTF-16 code units. */
function hash(word: string): number {
  let h = 0x811c9dc5;
  for (let c = 0; c < word.length; c++) h = Math.imul(h ^ word.charCodeAt(c), 0x01000193);
  return h >>> 0;
}
