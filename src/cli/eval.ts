/**
 * `npm run eval [-- questions.json] [--levers] [--failures]`: answer quality.
 *
 * By default, side by side: the tune and held-out halves of `eval/questions.json`, the dev set
 * and the paraphrase set. Judge a change by the held-out columns; `--failures` lists the tune
 * questions that fail (held-out questions are read as numbers, never one by one).
 * `--levers` shows, on the held-out half, what each part of the pipeline adds.
 * With a file, scores that file alone and lists its failures.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import type { AliasTable } from "../core/aliases.js";
import { type AnalyzerOptions, createAnalyzer, defaultAnalyzerOptions } from "../core/analyzer.js";
import type { Article } from "../core/article.js";
import { loadCorpus } from "../core/corpus.js";
import { buildPassageIndex } from "../core/passage-index.js";
import { CorpusError } from "../core/problem.js";
import { DEFAULT_TUNING, type Tuning } from "../core/ranking.js";
import { UNIFORM_RARITY } from "../core/word-rarity.js";
import { NO_VECTORS } from "../core/word-vectors.js";
import { NO_THESAURUS } from "../core/wordnet.js";
import { configFromEnvironment } from "../environment.js";
import { type EvalQuestion, evaluate, type Scores } from "../eval/evaluate.js";
import { type QuestionSet, readQuestionFile, standardSets } from "../eval/question-sets.js";
import { runScript } from "./run.js";

interface Setup {
  tuning?: Partial<Tuning>;
  analyzer?: Partial<AnalyzerOptions>;
  aliases?: boolean;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      levers: { type: "boolean", default: false },
      failures: { type: "boolean", default: false },
    },
  });
  const config = configFromEnvironment();
  const loaded = await loadCorpus(config.seedsDir, config.seedsLabel);
  if (!loaded.corpus) throw new CorpusError(loaded.problems);
  const score = scorer(loaded.corpus.articles, loaded.corpus.aliases);

  if (positionals[0] !== undefined) {
    const file = positionals[0];
    const set = { name: path.basename(file), questions: await readQuestionFile(file) };
    const scores = score(set.questions, {});
    print(["set"], [[set.name, scores]]);
    printFailures(scores);
    return 0;
  }

  const sets = await standardSets();
  print(
    ["set"],
    sets.map((set): [string, Scores] => [set.name, score(set.questions, {})]),
    sets,
  );
  if (values.levers) {
    const heldOut = sets.find((s) => s.name === "held-out") as QuestionSet;
    process.stdout.write(
      "\nWhat each lever adds, on the held-out half (each row: that lever off):\n\n",
    );
    print(
      ["held-out setup"],
      LEVERS.map(([name, setup]): [string, Scores] => [name, score(heldOut.questions, setup)]),
    );
  }
  if (values.failures) printFailures(score((sets[0] as QuestionSet).questions, {}));
  return 0;
}

const LEVERS: Array<[string, Setup]> = [
  ["summit desk (all levers)", {}],
  [
    "plain MiniSearch (no levers)",
    {
      tuning: {
        fuzzy: false,
        prefix: false,
        relatedWeight: 0,
        synonymWeight: 0,
        derivedWeight: 0,
        kinWeight: 0,
        phrases: false,
        headlineCredit: 0,
        neighbourCredit: 0,
        pruning: false,
        rerank: false,
        confidenceRule: false,
      },
      analyzer: {
        stopWords: false,
        stemming: false,
        thesaurus: NO_THESAURUS,
        rarity: UNIFORM_RARITY,
        vectors: NO_VECTORS,
      },
      aliases: false,
    },
  ],
  ["  without stop words", { analyzer: { stopWords: false } }],
  ["  without stemming", { analyzer: { stemming: false } }],
  ["  without alias table", { aliases: false }],
  ["  without related words", { tuning: { relatedWeight: 0 } }],
  ["  without WordNet synonyms", { tuning: { synonymWeight: 0 } }],
  ["  without WordNet same-root words", { tuning: { derivedWeight: 0 } }],
  ["  without WordNet broader/narrower", { tuning: { kinWeight: 0 } }],
  ["  without WordNet phrases", { tuning: { phrases: false } }],
  ["  without English word rarity", { analyzer: { rarity: UNIFORM_RARITY } }],
  ["  without word vectors", { analyzer: { vectors: NO_VECTORS } }],
  ["  without fuzzy (typos)", { tuning: { fuzzy: false } }],
  ["  without prefix", { tuning: { prefix: false } }],
  ["  without headline credit", { tuning: { headlineCredit: 0 } }],
  ["  without previous paragraph", { tuning: { neighbourCredit: 0 } }],
  ["  without pruning (same passages, slower)", { tuning: { pruning: false } }],
  ["  without learned re-scoring", { tuning: { rerank: false } }],
  ["  without confidence and focus rules", { tuning: { confidenceRule: false } }],
];

/** Scores questions under a setup; indexes are built once per analyzer setup. */
function scorer(articles: Article[], aliases: AliasTable) {
  const indexes = new Map<string, ReturnType<typeof buildPassageIndex>>();
  const base = defaultAnalyzerOptions();
  return (questions: EvalQuestion[], setup: Setup): Scores => {
    const key = JSON.stringify([
      Object.keys(setup.analyzer ?? {}).sort(),
      setup.analyzer?.stopWords,
      setup.analyzer?.stemming,
      setup.aliases,
    ]);
    let index = indexes.get(key);
    if (index === undefined) {
      const analyzer = createAnalyzer(setup.aliases === false ? { groups: [] } : aliases, {
        ...base,
        ...setup.analyzer,
      });
      index = buildPassageIndex(articles, analyzer);
      indexes.set(key, index);
    }
    return evaluate(index, questions, { ...DEFAULT_TUNING, ...setup.tuning });
  };
}

function print(first: string[], rows: Array<[string, Scores]>, sets?: QuestionSet[]): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const header = [
    ...first,
    "questions",
    "top-1",
    "recall@3",
    "MRR@5",
    "declined",
    "wrongly declined",
  ];
  const table = rows.map(([name, s], i) => [
    name,
    String(sets?.[i]?.questions.length ?? s.answerable + s.unanswerable),
    pct(s.top1),
    pct(s.recallAt3),
    s.mrrAt5.toFixed(3),
    `${s.declined}/${s.unanswerable} (${pct(s.unanswerable ? s.declined / s.unanswerable : 0)})`,
    `${s.wronglyDeclined}/${s.answerable} (${pct(s.answerable ? s.wronglyDeclined / s.answerable : 0)})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  process.stdout.write(
    `${[line(header), line(widths.map((w) => "-".repeat(w))), ...table.map(line)].join("\n")}\n`,
  );
}

function printFailures(scores: Scores): void {
  const failures = scores.outcomes.filter((o) =>
    o.unanswerable ? o.answered : !o.answered || o.rank !== 1 || !o.returned,
  );
  if (failures.length === 0) return;
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

runScript(main);
