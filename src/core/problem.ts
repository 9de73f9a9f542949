import { plural } from "./wording.js";

/** A problem found in a file of the corpus, reported as `file:line: message`. */
export interface Problem {
  /** Path of the file as the admin knows it, e.g. `seeds/my-article.md`. */
  file: string;
  /** 1-based line number the problem is about (1 when it concerns the whole file). */
  line: number;
  message: string;
}

/**
 * Something about a file worth telling the admin that does not stop a load: a file that is
 * ignored, a name that breaks the naming rule. Reported as `file: message`.
 */
export interface Notice {
  file: string;
  message: string;
}

export function formatNotice(notice: Notice): string {
  return `${notice.file}: ${notice.message}`;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** Orders problems by file, then line, so that reports read top to bottom. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Thrown when a corpus cannot be loaded at start-up; carries every problem found. */
export class CorpusError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`the corpus has ${plural(problems.length, "problem")}`);
    this.name = "CorpusError";
  }
}
