/**
 * The compact word table the lexical resources look words up in: it finds what a Map of the
 * same words finds, for any list (duplicates, accents, CJK, the empty string).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WordTable } from "../../src/core/word-table.js";

describe("WordTable", () => {
  it("gives a word's position in the list, and -1 for a word not in it", () => {
    const table = new WordTable(["phone", "selfie", "xiaomi", "café", "习近平", ""]);
    expect(table.indexOf("selfie")).toBe(1);
    expect(table.indexOf("café")).toBe(3);
    expect(table.indexOf("习近平")).toBe(4);
    expect(table.indexOf("")).toBe(5);
    expect(table.indexOf("cafe")).toBe(-1);
    expect(table.indexOf("phones")).toBe(-1);
    expect(table.indexOf("phon")).toBe(-1);
    expect(new WordTable([]).indexOf("phone")).toBe(-1);
  });

  it("agrees with a Map of the same words, a repeated word at its last position", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 50 }),
        (words, others) => {
          const table = new WordTable(words);
          const map = new Map(words.map((word, i) => [word, i]));
          for (const word of [...words, ...others]) {
            expect(table.indexOf(word)).toBe(map.get(word) ?? -1);
          }
        },
      ),
    );
  });
});
