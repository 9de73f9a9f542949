/**
 * `npm run eval [-- questions.json] [--levers]`: scores the answers on a question set (by
 * default the project's copy of the dev questions) and prints a table and the failures.
 * `--levers` also scores the ranking with each lever switched off, to show what each adds.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { type AnalyzerOptions, createAnalyzer, defaultAnalyzerOptions } from "../core/analyzer.js";
import { loadCorpus } from "../core/corpus.js";
import { buildPassageIndex } from "../core/passage-index.js";
import { formatProblem } from "../core/problem.js";
import { DEFAULT_TUNING, type Tuning } from "../core/ranking.js";
import { UNIFORM_RARITY } from "../core/word-rarity.js";
import { plural } from "../core/wording.js";
import { NO_THESAURUS } from "../core/wordnet.js";
import { configFromEnvironment, PROJECT_ROOT } from "../environment.js";
import { evaluate, questionSetSchema, type Scores } from "../eval/evaluate.js";
import { runScript } from "./run.js";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { levers: { type: "boolean", default: false } },
  });
  const config = configFromEnvironment();
  const file = positionals[0] ?? path.join(PROJECT_ROOT, "eval", "dev-questions.json");
  const parsed = questionSetSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) {
    process.stderr.write(`${file} is not a question set: ${parsed.error.issues[0]?.message}\n`);
    return 1;
  }
  const questions = parsed.data.questions;

  const loaded = await loadCorpus(config.seedsDir, config.seedsLabel);
  if (!loaded.corpus) {
    process.stderr.write(`${loaded.problems.map(formatProblem).join("\n")}\n`);
    return 1;
  }
  const { articles, aliases } = loaded.corpus;
  const ALL_ON: AnalyzerOptions = defaultAnalyzerOptions();
  const score = (tuning: Tuning, analyzer = ALL_ON, withAliases = true): Scores =>
    evaluate(
      buildPassageIndex(articles, createAnalyzer(withAliases ? aliases : { groups: [] }, analyzer)),
      questions,
      tuning,
    );

  const final = score(DEFAULT_TUNING);
  const rows: Array<[string, Scores]> = [["summit desk (all levers)", final]];
  if (values.levers) {
    const off = (patch: Partial<Tuning>) => ({ ...DEFAULT_TUNING, ...patch });
    rows.push(
      [
        "plain MiniSearch (no levers)",
        score(
          off({
            fuzzy: false,
            prefix: false,
            relatedWeight: 0,
            synonymWeight: 0,
            headlineCredit: 0,
            neighbourCredit: 0,
            rerank: false,
            coverageRule: false,
          }),
          { stopWords: false, stemming: false, thesaurus: NO_THESAURUS, rarity: UNIFORM_RARITY },
          false,
        ),
      ],
      ["  without stop words", score(DEFAULT_TUNING, { ...ALL_ON, stopWords: false })],
      ["  without stemming", score(DEFAULT_TUNING, { ...ALL_ON, stemming: false })],
      ["  without alias table", score(DEFAULT_TUNING, ALL_ON, false)],
      ["  without related words", score(off({ relatedWeight: 0 }))],
      ["  without WordNet synonyms", score(off({ synonymWeight: 0 }))],
      [
        "  without English word rarity",
        score(DEFAULT_TUNING, { ...ALL_ON, rarity: UNIFORM_RARITY }),
      ],
      ["  without fuzzy (typos)", score(off({ fuzzy: false }))],
      ["  without prefix", score(off({ prefix: false }))],
      ["  without headline credit", score(off({ headlineCredit: 0 }))],
      ["  without previous paragraph", score(off({ neighbourCredit: 0 }))],
      ["  without re-scoring", score(off({ rerank: false }))],
      ["  without coverage rule", score(off({ coverageRule: false }))],
    );
  }

  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const header = ["setup", "top-1", "recall@3", "MRR@5", "declined", "wrongly declined"];
  const table = rows.map(([name, s]) => [
    name,
    pct(s.top1),
    pct(s.recallAt3),
    s.mrrAt5.toFixed(3),
    `${s.declined}/${s.unanswerable}`,
    `${s.wronglyDeclined}/${s.answerable}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  process.stdout.write(
    `Question set: ${path.relative(process.cwd(), file) || file} (${plural(questions.length, "question")})\n\n`,
  );
  process.stdout.write(
    `${[line(header), line(widths.map((w) => "-".repeat(w))), ...table.map(line)].join("\n")}\n`,
  );

  const failures = final.outcomes.filter((o) =>
    o.unanswerable ? o.answered : !o.answered || o.rank !== 1 || !o.returned,
  );
  if (failures.length > 0) {
    process.stdout.write(`\nFailures (${failures.length}):\n`);
    for (const f of failures) {
      const what = f.unanswerable
        ? "answered an unanswerable question"
        : !f.answered
          ? `declined (answer at rank ${f.rank ?? "> 5"})`
          : `answer at rank ${f.rank ?? "> 5"}`;
      process.stdout.write(`- ${f.id} “${f.question}”: ${what}\n`);
      if (!f.unanswerable) process.stdout.write(`    expected: ${f.expected.join(" | ")}\n`);
      if (f.returned) process.stdout.write(`    returned: ${f.returned.slice(0, 160)}…\n`);
    }
  }
  return 0;
}

runScript(main);
