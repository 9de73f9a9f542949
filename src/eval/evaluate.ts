/**
 * Scores answers against a question set in the format of `eval/dev-questions.json`:
 * top-1 accuracy, recall@3 and MRR@5 on answerable questions, and how often the bot declines
 * unanswerable ones (and wrongly declines answerable ones).
 */
import { z } from "zod";
import { answer } from "../core/answer.js";
import type { PassageIndex } from "../core/passage-index.js";
import { checkQuestion } from "../core/question.js";
import { rank, type Tuning } from "../core/ranking.js";

const questionSchema = z.object({
  id: z.string(),
  question: z.string(),
  answers: z.array(z.string()),
  unanswerable: z.boolean().optional(),
  kind: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** In `eval/questions.json`: which half of the fixed split the question is in. */
  split: z.enum(["tune", "held-out"]).optional(),
  /** Who asks it this way: phone, student, journalist, non-native, fan, hangul-hanzi. */
  register: z.string().optional(),
  /** The paragraphs (slug#n) or seed files holding an accepted answer. */
  seed: z.union([z.string(), z.array(z.string())]).optional(),
});

export const questionSetSchema = z.object({
  questions: z.array(questionSchema).min(1),
});

export type EvalQuestion = z.infer<typeof questionSchema>;

export interface QuestionOutcome {
  id: string;
  question: string;
  unanswerable: boolean;
  answered: boolean;
  /** 1-based rank of the first passage containing an accepted answer, or null within the top 5. */
  rank: number | null;
  returned?: string;
  expected: string[];
}

export interface Scores {
  answerable: number;
  unanswerable: number;
  top1: number;
  recallAt3: number;
  mrrAt5: number;
  declined: number;
  wronglyDeclined: number;
  outcomes: QuestionOutcome[];
}

const contains = (text: string, answers: string[]) =>
  answers.some((a) => text.toLowerCase().includes(a.toLowerCase()));

export const containsAnswer = contains;

export function evaluate(index: PassageIndex, questions: EvalQuestion[], tuning?: Tuning): Scores {
  const outcomes: QuestionOutcome[] = questions.map((q) => {
    const options = tuning ? { tuning } : {};
    const check = checkQuestion(q.question);
    const result = check.ok
      ? answer(index, check.question, options)
      : { answered: false, results: [] as Array<{ text: string }> };
    const ranked = rank(index, q.question, options).candidates.slice(0, 5);
    const position = ranked.findIndex((c) => contains(c.passage.text, q.answers));
    const returned = result.results[0]?.text;
    return {
      id: q.id,
      question: q.question,
      unanswerable: q.unanswerable === true,
      answered: result.answered,
      rank: position === -1 ? null : position + 1,
      ...(returned !== undefined && { returned }),
      expected: q.answers,
    };
  });
  const answerable = outcomes.filter((o) => !o.unanswerable);
  const unanswerable = outcomes.filter((o) => o.unanswerable);
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    top1: share(
      answerable.filter(
        (o) => o.answered && o.returned !== undefined && contains(o.returned, o.expected),
      ).length,
      answerable.length,
    ),
    recallAt3: share(
      answerable.filter((o) => o.rank !== null && o.rank <= 3).length,
      answerable.length,
    ),
    mrrAt5: share(
      answerable.reduce((sum, o) => sum + (o.rank === null ? 0 : 1 / o.rank), 0),
      answerable.length,
    ),
    declined: unanswerable.filter((o) => !o.answered).length,
    wronglyDeclined: answerable.filter((o) => !o.answered).length,
    outcomes,
  };
}
