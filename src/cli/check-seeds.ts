/**
 * `npm run check-seeds [-- folder]`: validates the corpus the way a reload would, and shows
 * what the cleaner did to each article. Exits 1 when there is any problem.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus } from "../core/corpus.js";
import { formatNotice, formatProblem } from "../core/problem.js";
import { truncateAtWord } from "../core/text.js";
import { plural } from "../core/wording.js";
import { configFromEnvironment } from "../environment.js";
import { runScript } from "./run.js";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { quiet: { type: "boolean", short: "q", default: false } },
  });
  const config = configFromEnvironment();
  const dir = positionals[0] === undefined ? config.seedsDir : path.resolve(positionals[0]);
  const label =
    positionals[0] === undefined ? config.seedsLabel : positionals[0].replace(/\/+$/, "");
  const { problems, notices, parsed } = await loadCorpus(dir, label);

  if (!values.quiet) {
    for (const article of parsed) {
      process.stdout.write(
        `${article.file}: ${plural(article.paragraphs.length, "paragraph")} kept, ${plural(article.dropped.length, "line")} dropped\n`,
      );
      for (const line of article.dropped) {
        process.stdout.write(
          `    line ${line.line} [${line.rule}] ${truncateAtWord(line.text, 90)}\n`,
        );
      }
    }
  }

  // Said even with --quiet: a file left out without a word is how articles go missing.
  if (notices.length > 0) {
    process.stdout.write(`\n${plural(notices.length, "note")}:\n`);
    for (const notice of notices) process.stdout.write(`${formatNotice(notice)}\n`);
  }

  if (problems.length > 0) {
    process.stderr.write(`\n${plural(problems.length, "problem")}:\n`);
    for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
    return 1;
  }
  const paragraphs = parsed.reduce((n, a) => n + a.paragraphs.length, 0);
  process.stdout.write(
    `\nOK: ${plural(parsed.length, "article")}, ${plural(paragraphs, "paragraph")}.\n`,
  );
  return 0;
}

runScript(main);
