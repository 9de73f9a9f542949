/**
 * The one check every front end (Discord, console, CLI) applies to a question before asking.
 * Pure: returns the cleaned question or a named problem, never throws.
 */

/** Longest question accepted, in characters (user-perceived characters, not UTF-16 units). */
export const MAX_QUESTION_LENGTH = 300;

export type QuestionProblem = "empty" | "too-long";

export type QuestionCheck =
  | { ok: true; question: string }
  | { ok: false; problem: QuestionProblem; message: string };

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

function graphemeCount(text: string, stopAfter: number): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) {
    if (++count > stopAfter) break;
  }
  return count;
}

/**
 * Checks a question: it must have something other than whitespace and invisible characters,
 * and at most {@link MAX_QUESTION_LENGTH} characters. Whitespace is collapsed.
 */
export function checkQuestion(input: unknown): QuestionCheck {
  const raw = typeof input === "string" ? input : "";
  if (raw.length > MAX_QUESTION_LENGTH * 20) return tooLong();
  // Zero-width joiners stay in the question: they bind emoji sequences (👩‍💻) into one
  // character. They are ignored only when deciding whether anything was typed.
  const question = raw
    .replace(/[\u200B\u200C\u2060\uFEFF\u00AD]/g, "")
    .replace(/\s+/gu, " ")
    .trim();
  if (question.replace(/\u200D/g, "").trim() === "") {
    return { ok: false, problem: "empty", message: "Please type a question — it was empty." };
  }
  // A string has no more characters than UTF-16 units, so only one that long is segmented.
  // Counting stops early (and absurd input is refused before any work) so a megabyte of
  // input costs no more than a long question.
  if (
    question.length > MAX_QUESTION_LENGTH &&
    graphemeCount(question, MAX_QUESTION_LENGTH) > MAX_QUESTION_LENGTH
  )
    return tooLong();
  return { ok: true, question };
}

function tooLong(): QuestionCheck {
  return {
    ok: false,
    problem: "too-long",
    message: `That question is too long: please keep it to ${MAX_QUESTION_LENGTH} characters.`,
  };
}
