/**
 * The learned part of the ranking: how the features of a passage (ranking.ts) combine into its
 * score, and how likely the best passage is to answer the question.
 *
 * Both are logistic regressions fitted on the `tune` half of `eval/questions.json` by
 * `npm run fit-ranking`, which writes `ranking-model.json` beside this file. Nothing here is
 * set by hand: to change the ranking, change a feature or the questions and fit again, then
 * judge the result on the held-out half (`npm run eval`).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { FEATURE_NAMES, type Features } from "./ranking.js";

/** What the confidence is estimated from: the best passage's features and how far it leads. */
export interface ConfidenceInput extends Features {
  /** How far the best passage's score is above the second's (log-odds, capped at 4, over 4). */
  margin: number;
  /** Share of the question's weight in words the coverage never uses (see `Ranking.unknown`). */
  unknown: number;
}

export const CONFIDENCE_NAMES = [
  "retrieval",
  "coverage",
  "exact",
  "proximity",
  "kind",
  "focus",
  "missing",
  "semantic",
  "pairs",
  "opening",
  "focusNear",
  "margin",
  "unknown",
] as const satisfies ReadonlyArray<keyof ConfidenceInput>;

export interface RankingModel {
  /** A passage's score for ranking, as log-odds that it answers. */
  score(features: Features): number;
  /** The estimated chance, 0 to 1, that the best passage answers the question. */
  confidence(input: ConfidenceInput): number;
  /** At or above this confidence the best passage is offered as the answer. */
  readonly answerAt: number;
  /** From here up to `answerAt`, the reply says it is unsure and shows the closest passages. */
  readonly unsureAt: number;
}

const logistic = z.object({ bias: z.number(), weights: z.record(z.string(), z.number()) });
export const modelFileSchema = z.object({
  fitted: z.object({ on: z.string(), questions: z.number(), candidates: z.number() }),
  ranking: logistic,
  confidence: logistic.extend({
    answerAt: z.number().min(0).max(1),
    unsureAt: z.number().min(0).max(1),
  }),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/**
 * What the regressions see of each feature: the value and its logarithm. The logarithms let a
 * linear model multiply evidence, as "covers little of the question" should outweigh "scores
 * well" rather than be averaged with it.
 */
export function modelInputs<Name extends string>(
  names: readonly Name[],
  x: Readonly<Record<Name, number>>,
): Array<[string, number]> {
  return names.flatMap(
    (name): Array<[string, number]> => [[`log ${name}`, Math.log(LOG_FLOOR + x[name])]],
  );
}
const LOG_FLOOR = 0.05;

/**
 * The regression over `modelInputs(names, x)`, with the weights looked up once: it runs for
 * every candidate of every question.
 */
function linear<Name extends string>(
  { bias, weights }: { bias: number; weights: Record<string, number> },
  names: readonly Name[],
): (x: Readonly<Record<Name, number>>) => number {
  const aligned = modelInputs(
    names,
    Object.fromEntries(names.map((n) => [n, 0])) as Record<Name, number>,
  ).map(([input]) => weights[input] ?? 0);
  return (x) => {
    let sum = bias;
    for (let i = 0; i < names.length; i++) {
      sum += (aligned[i] as number) * Math.log(LOG_FLOOR + x[names[i] as Name]);
    }
    return sum;
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** A model from its file's contents. */
export function modelFrom(file: ModelFile): RankingModel {
  // Made on first use: ranking.ts, which defines FEATURE_NAMES, imports the default model.
  let score: ((features: Features) => number) | undefined;
  let confidence: ((input: ConfidenceInput) => number) | undefined;
  return {
    score: (features) => {
      score ??= linear(file.ranking, FEATURE_NAMES);
      return score(features);
    },
    confidence: (input) => {
      confidence ??= linear(file.confidence, CONFIDENCE_NAMES);
      return sigmoid(confidence(input));
    },
    answerAt: file.confidence.answerAt,
    unsureAt: file.confidence.unsureAt,
  };
}

export const MODEL_FILE = new URL("./ranking-model.json", import.meta.url);

/** The fitted model shipped with the code. */
export const DEFAULT_MODEL: RankingModel = modelFrom(
  modelFileSchema.parse(JSON.parse(readFileSync(MODEL_FILE, "utf8"))),
);
