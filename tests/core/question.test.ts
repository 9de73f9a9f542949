import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { checkQuestion, MAX_QUESTION_LENGTH } from "../../src/core/question.js";

const EMPTY = { ok: false, problem: "empty", message: "Please type a question — it was empty." };
const TOO_LONG = {
  ok: false,
  problem: "too-long",
  message: "That question is too long: please keep it to 300 characters.",
};

describe("an empty question is refused", () => {
  const blanks: Array<[string, unknown]> = [
    ["the empty string", ""],
    ["spaces, tabs and newlines", "  \t\n \r\n "],
    ["no-break and ideographic spaces", "\u00a0\u3000\u2003"],
    ["zero-width characters only", "\u200b\u200c\u200d\u2060\ufeff"],
    ["a soft hyphen", "\u00ad"],
    ["zero-width characters between spaces", " \u200b \u200d "],
    ["something that is not a string", 42],
    ["undefined", undefined],
  ];
  for (const [what, input] of blanks) {
    it(`refuses ${what}`, () => {
      expect(checkQuestion(input)).toEqual(EMPTY);
    });
  }
});

describe("a question may be up to 300 characters", () => {
  it("sets the limit at 300", () => {
    expect(MAX_QUESTION_LENGTH).toBe(300);
  });

  it("accepts exactly 300 characters", () => {
    const question = "a".repeat(300);
    expect(checkQuestion(question)).toEqual({ ok: true, question });
  });

  it("refuses 301 characters", () => {
    expect(checkQuestion("a".repeat(301))).toEqual(TOO_LONG);
  });

  it("counts what is left after collapsing whitespace", () => {
    const question = `  ${"a ".repeat(150)}  `;
    expect(checkQuestion(question)).toEqual({ ok: true, question: "a ".repeat(150).trim() });
  });

  it("counts an emoji as one character", () => {
    const question = "😀".repeat(300);
    expect(question.length).toBe(600);
    expect(checkQuestion(question)).toEqual({ ok: true, question });
    expect(checkQuestion(`${question}😀`)).toEqual(TOO_LONG);
  });

  it("counts an emoji joined with zero-width joiners as one character, and keeps it whole", () => {
    const family = "👩‍👩‍👧";
    expect(checkQuestion(family.repeat(300))).toEqual({ ok: true, question: family.repeat(300) });
    expect(checkQuestion(family.repeat(301))).toEqual(TOO_LONG);
  });

  it("counts a letter with a combining accent as one character", () => {
    const question = "e\u0301".repeat(300);
    expect(checkQuestion(question)).toEqual({ ok: true, question });
  });

  // How long this takes is measured by `npm run bench:question`, not asserted here.
  it("refuses a megabyte of text without counting its characters", () => {
    const segment = vi.spyOn(Intl.Segmenter.prototype, "segment");
    try {
      expect(checkQuestion("why ".repeat(256 * 1024))).toEqual(TOO_LONG);
      expect(checkQuestion("😀".repeat(512 * 1024))).toEqual(TOO_LONG);
      expect(segment).not.toHaveBeenCalled();
    } finally {
      segment.mockRestore();
    }
  });
});

describe("an accepted question is cleaned", () => {
  it("collapses whitespace and removes invisible characters", () => {
    expect(checkQuestion("  what did\n\nLee\u200b   say\u00ad?\t")).toEqual({
      ok: true,
      question: "what did Lee say?",
    });
  });

  it("is never blank and never longer than 300 characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (input) => {
        const check = checkQuestion(input);
        if (check.ok) {
          expect(check.question.trim()).not.toBe("");
          expect([...new Intl.Segmenter().segment(check.question)].length).toBeLessThanOrEqual(300);
        } else {
          expect([EMPTY, TOO_LONG]).toContainEqual(check);
        }
      }),
      { numRuns: 500 },
    );
  });
});
