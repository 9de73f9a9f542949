/**
 * `npm run bench:pruning [-- --paragraphs 100000]`: what MaxScore pruning (src/core/retrieval.ts)
 * changes, over a generated corpus with the seed articles inside it.
 *
 * For every evaluation set it answers each question twice, with pruning and with MiniSearch
 * scoring every match, and prints both sets of scores (they must be equal), how many questions
 * got the very same candidates in the same order with the same scores, and the time `rank()`
 * took each way.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createAnalyzer } from "../src/core/analyzer.js";
import { loadCorpus } from "../src/core/corpus.js";
import { buildPassageIndex, type PassageIndex } from "../src/core/passage-index.js";
import { DEFAULT_TUNING, rank, type Tuning } from "../src/core/ranking.js";
import { type EvalQuestion, evaluate, type Scores } from "../src/eval/evaluate.js";
import { standardSets } from "../src/eval/question-sets.js";
import { CORPUS_SEED, generateCorpus } from "./corpus.js";
import { summarize } from "./stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { paragraphs: { type: "string", default: "100000" } },
  strict: true,
});
const paragraphs = Number(values.paragraphs);
if (!Number.isInteger(paragraphs) || paragraphs < 100) {
  process.stderr.write("--paragraphs must be a whole number, at least 100\n");
  process.exit(2);
}

const PRUNED: Tuning = DEFAULT_TUNING;
const EXHAUSTIVE: Tuning = { ...DEFAULT_TUNING, pruning: false };

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Questions whose candidates are the same passages, in the same order, with the same scores. */
function identical(index: PassageIndex, questions: readonly EvalQuestion[]) {
  let same = 0;
  const pruned: number[] = [];
  const exhaustive: number[] = [];
  for (const { question } of questions) {
    let a: string[] = [];
    let b: string[] = [];
    const key = (tuning: Tuning) =>
      rank(index, question, { tuning }).candidates.map((c) => `${c.passage.id}:${c.score}`);
    pruned.push(cpuMs(() => (a = key(PRUNED))));
    exhaustive.push(cpuMs(() => (b = key(EXHAUSTIVE))));
    if (a.join() === b.join()) same++;
  }
  return { same, pruned, exhaustive };
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const line = (s: Scores) =>
  `${percent(s.top1)} / ${percent(s.recallAt3)} / ${s.declined}/${s.unanswerable} / ${s.wronglyDeclined}/${s.answerable}`;

const dir = await mkdtemp(path.join(os.tmpdir(), "summit-desk-pruning-"));
try {
  process.stderr.write(`generating ${paragraphs} paragraphs…\n`);
  await generateCorpus(dir, path.join(ROOT, "seeds"), { paragraphs, seed: CORPUS_SEED });
  const { corpus, problems } = await loadCorpus(dir, "generated");
  if (!corpus) throw new Error(`the generated corpus does not load: ${problems[0]?.message}`);
  const index = buildPassageIndex(corpus.articles, createAnalyzer(corpus.aliases));
  process.stdout.write(
    `Pruning against exhaustive scoring, ${index.passages.length} paragraphs (seeds inside)\n\n` +
      "| set | questions | pruned: top-1 / recall@3 / declined / wrongly declined | exhaustive: same | identical candidates | rank p50 / p99 ms, pruned | exhaustive |\n" +
      "| --- | ---: | --- | --- | ---: | --- | --- |\n",
  );
  const allPruned: number[] = [];
  const allExhaustive: number[] = [];
  let disagreements = 0;
  for (const set of await standardSets()) {
    const a = evaluate(index, set.questions, PRUNED);
    const b = evaluate(index, set.questions, EXHAUSTIVE);
    const { same, pruned, exhaustive } = identical(index, set.questions);
    allPruned.push(...pruned);
    allExhaustive.push(...exhaustive);
    const agree = line(a) === line(b);
    if (!agree || same !== set.questions.length) disagreements++;
    const p = summarize(pruned);
    const e = summarize(exhaustive);
    process.stdout.write(
      `| ${set.name} | ${set.questions.length} | ${line(a)} | ${agree ? "equal" : line(b)} | ` +
        `${same}/${set.questions.length} | ${p.p50.toFixed(2)} / ${p.p99.toFixed(1)} | ${e.p50.toFixed(2)} / ${e.p99.toFixed(1)} |\n`,
    );
  }
  const p = summarize(allPruned);
  const e = summarize(allExhaustive);
  process.stdout.write(
    `\nall questions: rank() CPU p50 ${p.p50.toFixed(2)} ms / p99 ${p.p99.toFixed(1)} ms pruned, ` +
      `${e.p50.toFixed(2)} / ${e.p99.toFixed(1)} ms exhaustive; ` +
      `${disagreements === 0 ? "every set agrees" : `${disagreements} set(s) DISAGREE`}\n`,
  );
  process.exitCode = disagreements === 0 ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
