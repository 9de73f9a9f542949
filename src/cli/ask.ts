/**
 * `npm run ask -- "question"`: prints the answer as a person would read it.
 * `npm run ask -- --json`: reads one question per line from standard input and writes one
 * JSON object per line, flushed as it goes, so it works in a pipe.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { Answer } from "../core/answer.js";
import { Library } from "../core/library.js";
import { matchOutlet } from "../core/outlet-name.js";
import { checkQuestion } from "../core/question.js";
import { declineMessage, formatDate, outletMessage, plural } from "../core/wording.js";
import { configFromEnvironment } from "../environment.js";
import { runScript } from "./run.js";

const usage = `Usage:
  npm run ask -- "what phone did lee use?"              print the best passage and its citation
  npm run ask -- --all "..."                            print all five passages
  npm run ask -- --outlet straits "..."                 only that outlet's articles (any word of its name)
  npm run ask -- --sources                              list the outlets and their articles
  npm run --silent ask -- --json < questions.txt        one JSON answer per input line
                                   (--silent keeps npm's own lines out of the JSON)`;

const OPTIONS = {
  json: { type: "boolean", default: false },
  all: { type: "boolean", default: false },
  sources: { type: "boolean", default: false },
  outlet: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Reads the command line. A mistake (an unknown flag, `--outlet` without a name, a value given
 * to a flag that takes none) gets one line saying what was wrong and the usage, instead of
 * Node's parser error; the result is then `undefined`.
 */
function readArguments(args: string[]) {
  // Read leniently, then check each option here, so the message is ours.
  const { tokens } = parseArgs({
    args,
    allowPositionals: true,
    options: OPTIONS,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = (OPTIONS as Record<string, { type: "boolean" | "string" }>)[token.name];
    const mistake =
      option === undefined
        ? `unknown option ${token.rawName}`
        : option.type === "string" && (token.value === undefined || isFlagAsValue(token))
          ? `${token.rawName} needs a value, e.g. ${token.rawName} "Asiatoday"`
          : option.type === "boolean" && token.value !== undefined
            ? `${token.rawName} takes no value`
            : undefined;
    if (mistake) {
      process.stderr.write(`npm run ask: ${mistake}\n\n${usage}\n`);
      return undefined;
    }
  }
  return parseArgs({ args, allowPositionals: true, options: OPTIONS, strict: true });
}

/** `--outlet --all`: the next flag taken as the value, which is never what was meant. */
function isFlagAsValue(token: { value?: string | undefined; inlineValue?: boolean | undefined }) {
  return token.inlineValue === false && token.value?.startsWith("-") === true;
}

async function main(): Promise<number> {
  const parsed = readArguments(process.argv.slice(2));
  if (parsed === undefined) return 2;
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const config = configFromEnvironment();
  const library = await Library.open(config.seedsDir, config.seedsLabel);
  if (values.sources) {
    process.stdout.write(sourcesText(await library.sources()));
    return 0;
  }
  let outlet: string | undefined;
  if (values.outlet !== undefined) {
    const match = matchOutlet(values.outlet, await library.outlets());
    if (match.status !== "found") {
      // A refused question: the outlet fits none, or more than one.
      process.stderr.write(
        `${outletMessage(match, values.outlet, await library.sources())}\n${LIST_SOURCES} lists them.\n`,
      );
      return 1;
    }
    outlet = match.name;
  }
  const options = outlet === undefined ? {} : { outlet };

  if (values.json && positionals.length === 0) {
    const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (line.trim() === "") continue;
      await writeLine(JSON.stringify(await jsonAnswer(library, line, options)));
    }
    return 0;
  }

  const question = positionals.join(" ");
  const check = checkQuestion(question);
  if (!check.ok) {
    process.stderr.write(`${check.message}\n\n${usage}\n`);
    return 2;
  }
  const answer = await library.answer(check.question, options);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(toJson(answer))}\n`);
    return 0;
  }
  if (!answer.answered) {
    const reason = answer.reason ?? "no-match";
    const message = declineMessage(reason, await library.sources(), {
      listSources: LIST_SOURCES,
      question: check.question,
      ...(outlet !== undefined && { outlet }),
      ...(answer.nearest !== undefined && { nearest: answer.nearest }),
    });
    const closest = reason === "unsure" ? answer.results.slice(0, 3) : [];
    process.stdout.write(
      closest.length === 0
        ? `${message}\n`
        : `${message}\n\n${passagesText(closest, true, "(closest passage, not a confident answer)")}`,
    );
    return 0;
  }
  const shown = values.all ? answer.results : answer.results.slice(0, 1);
  process.stdout.write(passagesText(shown, values.all === true));
  return 0;
}

/** How the command line lists the articles, named in its messages. */
const LIST_SOURCES = "npm run ask -- --sources";

function passagesText(results: Answer["results"], numbered: boolean, mark = ""): string {
  return `${results
    .map((r, i) => {
      const { citation: c } = r;
      const rank = numbered ? `${i + 1}. ` : "";
      const marked = mark === "" ? "" : `${mark}\n`;
      return `${marked}${rank}${r.text}\n\n   — ${c.outlet}, “${c.headline}”, ${formatDate(c.published)} (paragraph ${c.paragraph} of ${c.paragraphs})\n     ${c.url}`;
    })
    .join("\n\n")}\n`;
}

/** `--sources`: the outlets, each with its articles, dates and links. */
function sourcesText(sources: Awaited<ReturnType<Library["sources"]>>): string {
  const lines = [
    `${plural(sources.outlets.length, "outlet")}, ${plural(sources.articleCount, "article")}, ${plural(sources.paragraphCount, "paragraph")}.`,
  ];
  for (const outlet of sources.outlets) {
    lines.push("", outlet.name);
    for (const a of outlet.articles) {
      lines.push(
        `  • ${a.headline} — ${formatDate(a.published)}, ${plural(a.paragraphs, "paragraph")}`,
      );
      lines.push(`    ${a.url}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

interface JsonAnswer {
  question: string;
  answered: boolean;
  reason?: string;
  results: Array<{
    text: string;
    outlet: string;
    headline: string;
    url: string;
    published: string | null;
    score: number;
  }>;
}

function toJson(answer: Answer): JsonAnswer {
  return {
    question: answer.question,
    answered: answer.answered,
    ...(answer.reason !== undefined && { reason: answer.reason }),
    results: answer.results.map((r) => ({
      text: r.text,
      outlet: r.citation.outlet,
      headline: r.citation.headline,
      url: r.citation.url,
      published: r.citation.published ?? null,
      score: r.score,
    })),
  };
}

async function jsonAnswer(
  library: Library,
  line: string,
  options: { outlet?: string },
): Promise<JsonAnswer & { problem?: string }> {
  const check = checkQuestion(line);
  if (!check.ok) {
    return {
      question: line,
      answered: false,
      reason: check.problem,
      problem: check.message,
      results: [],
    };
  }
  return toJson(await library.answer(check.question, options));
}

/** Writes one line and waits until it is handed to the OS, so a reader sees it at once. */
function writeLine(line: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(`${line}\n`, (error) => (error ? reject(error) : resolve())),
  );
}

runScript(main);
