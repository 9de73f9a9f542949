/**
 * Runs a script's main function: its result is the exit code; an error is printed as one
 * plain sentence (a corpus error as every problem, file by file) and exits 1.
 */
import { CorpusError, formatProblem } from "../core/problem.js";

export function runScript(main: () => Promise<number>, failure = ""): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message =
        error instanceof CorpusError
          ? `The articles have problems:\n${error.problems.map(formatProblem).join("\n")}`
          : error instanceof Error
            ? error.message
            : String(error);
      process.stderr.write(`${failure}${message}\n`);
      process.exitCode = 1;
    },
  );
}
