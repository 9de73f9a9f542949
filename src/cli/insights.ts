/**
 * `npm run insights -- [--days N] [--json] [--export-eval FILE]`: what /insights shows, from
 * the command line, read straight from the question log in DATA_DIR. `--export-eval` writes
 * the declined and not-helpful questions as a question file in the eval format with empty
 * `answers`, for an admin to label and add to the evaluation.
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { insightsReply } from "../../commands/insights.js";
import { renderReply } from "../console/render.js";
import { Library } from "../core/library.js";
import { configFromEnvironment } from "../environment.js";
import { classify, describe } from "../insights/problems.js";
import { buildReport, type InsightsReport } from "../insights/report.js";
import { DATABASE_FILE, type LogSummary, QuestionStore } from "../insights/store.js";
import { runScript } from "./run.js";

const usage = `Usage:
  npm run insights                              the last 7 days, as /insights shows them
  npm run insights -- --days 30                 another period (1 to 3650 days)
  npm run --silent insights -- --json           the same as JSON
  npm run insights -- --export-eval FILE.json   declined and not-helpful questions, as an
                                                eval question file with empty answers`;

function readArguments(args: string[]) {
  try {
    const { values } = parseArgs({
      args,
      options: {
        days: { type: "string" },
        json: { type: "boolean", default: false },
        "export-eval": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
    const days = values.days === undefined ? 7 : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      return { problem: "--days must be a whole number from 1 to 3650" };
    }
    return { values, days };
  } catch (error) {
    return { problem: (error as Error).message.split("\n")[0] ?? "bad arguments" };
  }
}

/** The eval question file for the declined (one per group) and voted-down questions. */
function evalFile(report: InsightsReport, summary: LogSummary) {
  const seen = new Set<string>();
  const questions: Array<{ id: string; question: string; answers: string[]; tags: string[] }> = [];
  const add = (question: string, tag: string) => {
    const key = question.trim().toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    const id = `log-${String(questions.length + 1).padStart(3, "0")}`;
    questions.push({ id, question, answers: [], tags: [tag] });
  };
  for (const group of report.summary?.declined ?? []) add(group.example, "declined");
  for (const answer of summary.notHelpful) add(answer.question, "not-helpful");
  return {
    name: "Questions from the question log",
    description: `Declined and not-helpful questions of the ${report.days} days to ${new Date().toISOString().slice(0, 10)}. Fill in each question's answers (or mark it unanswerable) before adding it to the evaluation.`,
    questions,
  };
}

async function main(): Promise<number> {
  const parsed = readArguments(process.argv.slice(2));
  if ("problem" in parsed) {
    process.stderr.write(`npm run insights: ${parsed.problem}\n\n${usage}\n`);
    return 2;
  }
  const { values, days } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const config = configFromEnvironment();
  const { dataDir } = config.questionLog;
  const label = path.basename(dataDir);
  if (!existsSync(path.join(dataDir, DATABASE_FILE))) {
    process.stderr.write(
      `There is no question log in ${label}/ yet: the bot creates it when it starts (with QUESTION_LOG on).\n`,
    );
    return 1;
  }
  let summary: LogSummary;
  try {
    const store = QuestionStore.open(dataDir);
    try {
      summary = store.summary(days);
    } finally {
      store.close();
    }
  } catch (error) {
    process.stderr.write(
      `The question log in ${label}/ cannot be read: ${describe(classify(error))}.\n`,
    );
    return 1;
  }
  const library = await Library.open(config.seedsDir, config.seedsLabel);
  const report = await buildReport(days, { summary }, (texts) => library.terms(texts));

  const file = values["export-eval"];
  if (file !== undefined) {
    const content = evalFile(report, summary);
    if (content.questions.length === 0) {
      process.stderr.write(
        `No declined or not-helpful questions in the last ${days} days: nothing written.\n`,
      );
      return 1;
    }
    if (existsSync(file)) {
      process.stderr.write(`${file} already exists: choose another name.\n`);
      return 1;
    }
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`);
    renameSync(temporary, file);
    process.stdout.write(`Wrote ${content.questions.length} questions to ${file}.\n`);
    return 0;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const reply = insightsReply(report, 0, Number.POSITIVE_INFINITY);
  process.stdout.write(`${renderReply(reply, { colour: process.stdout.isTTY === true })}\n`);
  return 0;
}

runScript(main, "npm run insights: ");
