import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Library } from "../../src/core/library.js";
import { expectedAnswer, questionFocus } from "../../src/core/question-type.js";
import {
  foldForComparison,
  normalizeWhitespace,
  quotationUnits,
  splitSentences,
  truncateAtWord,
  widenToQuotation,
} from "../../src/core/text.js";
import { formatDate } from "../../src/core/wording.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

describe("splitting a paragraph into sentences", () => {
  it("keeps titles and abbreviated months with what follows them", () => {
    expect(
      splitSentences("Mr. Lee met Xi on Jan. 5 in Beijing. They took a selfie! Was it good? Yes."),
    ).toEqual([
      "Mr. Lee met Xi on Jan. 5 in Beijing.",
      "They took a selfie!",
      "Was it good?",
      "Yes.",
    ]);
  });

  it("keeps U.S. and No. inside their sentence", () => {
    expect(splitSentences("The U.S. embassy said No. 10 was closed. Then it opened.")).toEqual([
      "The U.S. embassy said No. 10 was closed.",
      "Then it opened.",
    ]);
  });
});

describe("shortening text at a word", () => {
  it("leaves text within the limit alone", () => {
    expect(truncateAtWord("the quick brown fox", 19)).toBe("the quick brown fox");
  });

  it("cuts at the last word that fits and adds an ellipsis", () => {
    expect(truncateAtWord("the quick brown fox jumps", 12)).toBe("the quick…");
  });

  it("cuts one enormous word rather than dropping it", () => {
    expect(truncateAtWord(`see ${"x".repeat(50)}`, 20)).toBe(`see ${"x".repeat(15)}…`);
  });

  it("never exceeds the limit nor splits a surrogate pair", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.integer({ min: 0, max: 120 }),
        (text, max) => {
          const cut = truncateAtWord(text, max);
          expect(cut.length).toBeLessThanOrEqual(Math.max(max, 0));
          if (text.length <= max) expect(cut).toBe(text);
          else if (max > 1) expect(cut.endsWith("…")).toBe(true);
          expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
        },
      ),
    );
  });
});

describe("whitespace and folding", () => {
  it("removes invisible characters and collapses every kind of space", () => {
    expect(normalizeWhitespace("\u200b Lee\u00a0\u00a0and\u2003Xi\u00ad \t")).toBe("Lee and Xi");
  });

  it("folds case, accents, quotes and dashes", () => {
    expect(foldForComparison("South Korea’s Lee–Xi Café")).toBe(
      foldForComparison("south korea's lee-xi cafe"),
    );
  });
});

describe("what kind of answer a question asks for", () => {
  const cases: Array<[string, string]> = [
    ["How many agreements were signed?", "number"],
    ["how much did the phone cost", "number"],
    ["When did Lee arrive in Beijing?", "date"],
    ["What date was the state dinner?", "date"],
    ["Lee and Xi met, when?", "date"],
    ["What did Xi say about the phone?", "statement"],
    ["What was Lee's joke?", "statement"],
    ["Who went to Shanghai?", "person"],
    ["Which company made the phone?", "organization"],
    ["Where did they eat?", "place"],
    ["Why did Lee use a Xiaomi phone?", "any"],
  ];
  for (const [question, kind] of cases) {
    it(`reads "${question}" as asking for ${kind}`, () => {
      expect(expectedAnswer(question)).toBe(kind);
    });
  }
});

describe("dates for people", () => {
  it("writes a published date as day, short month and year", () => {
    expect(formatDate("2026-01-06")).toBe("6 Jan 2026");
  });

  it("says when there is no date", () => {
    expect(formatDate(undefined)).toBe("date not given");
  });
});

describe("what a question is about", () => {
  const cases: Array<[string, { words: string[]; subject?: string[] }]> = [
    ["how tall is Xi?", { words: ["tall"], subject: ["xi"] }],
    ["What is Xiaomi's market value?", { words: ["market", "value"], subject: ["xiaomi"] }],
    ["what is the population of Busan", { words: ["population"], subject: ["busan"] }],
    ["how many people live in Busan", { words: ["people"] }],
    ["how long did the keeper serve", { words: ["long"] }],
    ["how much did the phone cost", { words: ["cost"] }],
    ["Which company made the phone?", { words: ["company"] }],
    ["who designed the phone", { words: ["designed"] }],
    ["what did Lee eat", { words: [] }],
    ["Why did Lee use a Xiaomi phone?", { words: [] }],
  ];
  for (const [question, focus] of cases) {
    it(`reads "${question}" as asking about ${focus.words.join(" ") || "nothing named"}`, () => {
      expect(questionFocus(question)).toEqual(focus);
    });
  }
});

describe("a quotation and the clause that attributes it are one unit", () => {
  const units = (p: string) => quotationUnits(p).map((u) => p.slice(u.start, u.end));

  it("joins a quotation to the short clause after it that names its speaker", () => {
    expect(
      units(
        'He smiled. "The image quality is certainly good, right?" Mr Lee posted on X. Xi laughed.',
      ),
    ).toEqual([
      "He smiled.",
      '"The image quality is certainly good, right?" Mr Lee posted on X.',
      "Xi laughed.",
    ]);
  });

  it("keeps a quotation of several sentences whole, with its speaker", () => {
    expect(units("“It was great. We talked a lot,” Lee said. Then he left.")).toEqual([
      "“It was great. We talked a lot,” Lee said.",
      "Then he left.",
    ]);
  });

  it("does not join sentences without a quotation, or a long sentence after one", () => {
    expect(units("He said it was fine. The talks ended.")).toEqual([
      "He said it was fine.",
      "The talks ended.",
    ]);
    const long =
      '"Good." The delegation said later in a long statement released to reporters in Beijing on Monday evening that nothing was agreed.';
    expect(units(long)).toHaveLength(2);
  });

  it("widens a highlight on either half to the whole unit", () => {
    const p = 'He smiled. "The image quality is certainly good, right?" Mr Lee posted on X.';
    const attribution = p.indexOf("Mr Lee");
    const whole = { start: p.indexOf('"'), end: p.length };
    expect(widenToQuotation(p, { start: attribution, end: p.length })).toEqual(whole);
    expect(widenToQuotation(p, { start: whole.start, end: attribution - 1 })).toEqual(whole);
    expect(widenToQuotation(p, { start: 0, end: 10 })).toEqual({ start: 0, end: 10 });
  });

  it("emphasises the quotation with Mr Lee's post in The Independent's answer", async () => {
    const library = await Library.open(SEEDS_DIR);
    const answer = await library.answer("what did Lee post on X about the image quality", {
      outlet: "The Independent",
    });
    const [best] = answer.results;
    expect(best?.text.slice(best.highlight.start, best.highlight.end)).toBe(
      '"The image quality is certainly good, right?" Mr Lee posted on X.',
    );
  });
});
