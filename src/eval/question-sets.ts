/**
 * The question sets answers are measured on, read from `eval/`:
 *
 * - `questions.json`, split once into `tune` (what the ranking is fitted and adjusted on) and
 *   `held-out` (read as numbers only; a change is kept only if it helps here);
 * - `dev-questions.json` and `paraphrase-questions.json`, two further sets written before the
 *   ranking was learned, kept as further held-out checks.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "../environment.js";
import { type EvalQuestion, questionSetSchema } from "./evaluate.js";

export interface QuestionSet {
  name: string;
  questions: EvalQuestion[];
}

/** Reads a question file; a file that does not match the format is an error naming it. */
export async function readQuestionFile(file: string): Promise<EvalQuestion[]> {
  const parsed = questionSetSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) {
    throw new Error(`${file} is not a question set: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data.questions;
}

const evalFile = (name: string) => path.join(PROJECT_ROOT, "eval", name);

/** The tune half of the project's own set: the only questions the ranking may be fitted on. */
export async function tuneQuestions(): Promise<EvalQuestion[]> {
  return (await readQuestionFile(evalFile("questions.json"))).filter((q) => q.split === "tune");
}

/** Every set, tune first, then the held-out ones. */
export async function standardSets(): Promise<QuestionSet[]> {
  const own = await readQuestionFile(evalFile("questions.json"));
  return [
    { name: "tune", questions: own.filter((q) => q.split === "tune") },
    { name: "held-out", questions: own.filter((q) => q.split === "held-out") },
    { name: "dev", questions: await readQuestionFile(evalFile("dev-questions.json")) },
    {
      name: "paraphrase",
      questions: await readQuestionFile(evalFile("paraphrase-questions.json")),
    },
  ];
}
