/**
 * `npm run fit-ranking`: fits the ranking model (src/core/ranking-model.ts) on the `tune` half
 * of `eval/questions.json` and writes `src/core/ranking-model.json`.
 *
 * 1. Ranking: every re-scored passage of every answerable tune question is a sample, labelled
 *    by whether it contains an accepted answer; a logistic regression over the features gives
 *    the weights of the passage score.
 * 2. Confidence: with that ranking, each tune question's best passage is a sample, labelled by
 *    whether it answers (never, for an unanswerable question); a second regression estimates
 *    the chance that the best passage answers.
 * 3. The answer threshold is the one that declines the most unanswerable tune questions while
 *    declining at most 5% of the answerable ones (the goal).
 *
 * The held-out half is never read here. Run `npm run eval` afterwards to see what the fit did.
 *
 * `npm run fit-ranking -- --cross-validate` writes nothing: it fits the ranking regression on
 * four fifths of the tune questions and counts top-1 on the fifth left out (five folds, three
 * shuffles). That number, not held-out, is what a new feature or fit is chosen by.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createAnalyzer } from "../core/analyzer.js";
import { answeringCandidates, confidenceInput, confidenceOf } from "../core/answer.js";
import { loadCorpus } from "../core/corpus.js";
import { buildPassageIndex } from "../core/passage-index.js";
import { CorpusError } from "../core/problem.js";
import { DEFAULT_TUNING, FEATURE_NAMES, rank, type Tuning } from "../core/ranking.js";
import {
  CONFIDENCE_NAMES,
  MODEL_FILE,
  type ModelFile,
  modelFrom,
  modelInputs,
} from "../core/ranking-model.js";
import { configFromEnvironment } from "../environment.js";
import { containsAnswer } from "../eval/evaluate.js";
import { fitLogistic, type Sample } from "../eval/logistic.js";
import { tuneQuestions } from "../eval/question-sets.js";
import { crossValidated, fitRanking } from "../eval/ranking-fit.js";
import { runScript } from "./run.js";

/** Share of answerable tune questions the threshold may decline. */
const MAX_WRONGLY_DECLINED = 0.05;

async function main(): Promise<number> {
  const config = configFromEnvironment();
  const loaded = await loadCorpus(config.seedsDir, "seeds");
  if (!loaded.corpus) throw new CorpusError(loaded.problems);
  const index = buildPassageIndex(loaded.corpus.articles, createAnalyzer(loaded.corpus.aliases));
  const questions = await tuneQuestions();
  const rankedTune = questions
    .filter((q) => !q.unanswerable)
    .map((q) =>
      rank(index, q.question).candidates.map((c) => ({
        x: modelInputs(FEATURE_NAMES, c.features).map(([, v]) => v),
        right: containsAnswer(c.passage.text, q.answers),
      })),
    );
  const { values } = parseArgs({ options: { "cross-validate": { type: "boolean" } } });
  if (values["cross-validate"]) {
    const top1 = crossValidated(rankedTune);
    process.stdout.write(
      `Ranking regression, cross-validated on ${rankedTune.length} answerable tune questions: top-1 ${(top1 * 100).toFixed(1)}%.\n`,
    );
    return 0;
  }
  const candidates = rankedTune.reduce((n, inputs) => n + inputs.length, 0);
  const ranking = fitRanking(rankedTune);
  const named = (names: readonly string[], fit: { bias: number; weights: number[] }) => ({
    bias: round(fit.bias),
    weights: Object.fromEntries(inputNames(names).map((n, i) => [n, round(fit.weights[i] ?? 0)])),
  });
  const draft: ModelFile = {
    fitted: {
      on: "eval/questions.json (tune)",
      questions: questions.length,
      candidates,
    },
    ranking: named(FEATURE_NAMES, ranking),
    confidence: { bias: 0, weights: {}, answerAt: 0.5, unsureAt: 0.25 },
  };

  // Confidence: the best passage among those that can answer the question's form.
  const tuning: Tuning = { ...DEFAULT_TUNING, model: modelFrom(draft) };
  const tops = questions.map((q) => {
    const ranking = answeringCandidates(rank(index, q.question, { tuning }));
    const top = ranking.candidates[0];
    const right =
      !q.unanswerable && top !== undefined && containsAnswer(top.passage.text, q.answers);
    return { q, ranking, input: confidenceInput(ranking), right };
  });
  const confidenceSamples: Sample[] = tops.flatMap(({ input, right }) =>
    input ? [{ x: modelInputs(CONFIDENCE_NAMES, input).map(([, v]) => v), y: right ? 1 : 0 }] : [],
  );
  draft.confidence = {
    ...named(CONFIDENCE_NAMES, fitLogistic(confidenceSamples, { balance: true })),
    answerAt: 0.5,
    unsureAt: 0.25,
  };

  // The threshold. A question no passage can answer is declined whatever it is.
  const model = modelFrom(draft);
  const scored = tops.map(({ q, ranking }) => ({
    answerable: !q.unanswerable,
    confidence: ranking.candidates.length === 0 ? -1 : confidenceOf(ranking, { ...tuning, model }),
  }));
  const answerable = scored.filter((s) => s.answerable);
  const unanswerable = scored.filter((s) => !s.answerable);
  let answerAt = 0;
  for (let t = 0.01; t < 1; t += 0.01) {
    const wrongly = answerable.filter((s) => s.confidence < t).length / answerable.length;
    if (wrongly > MAX_WRONGLY_DECLINED) break;
    answerAt = t;
  }
  draft.confidence.answerAt = round(answerAt);
  draft.confidence.unsureAt = round(answerAt / 2);
  const declined = unanswerable.filter((s) => s.confidence < answerAt).length;

  await writeFile(MODEL_FILE, `${JSON.stringify(draft, null, 2)}\n`);
  process.stdout.write(
    `Fitted on ${questions.length} tune questions (${candidates} passages).\n` +
      `Answer at confidence ${draft.confidence.answerAt}: on tune, ${declined}/${unanswerable.length} unanswerable declined.\n` +
      "Wrote src/core/ranking-model.json; judge it with npm run eval (held-out columns).\n",
  );
  return 0;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The names of the regression's inputs for a list of features, in order. */
const inputNames = (names: readonly string[]) =>
  modelInputs(names, Object.fromEntries(names.map((n) => [n, 0]))).map(([n]) => n);

runScript(main);
