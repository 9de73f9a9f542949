/**
 * The ranking regression (src/core/ranking-model.ts) fitted on questions' re-scored passages,
 * and how well it ranks questions it was not fitted on.
 */
import { fitLogistic, type Sample } from "./logistic.js";

/** The model inputs of one question's re-scored passages, and whether each answers it. */
export type RankedInputs = ReadonlyArray<{ x: readonly number[]; right: boolean }>;

/**
 * Ridge penalty of the ranking regression: the largest of 0.1, 1, 10, 100 and 1000 with the best
 * top-1 and MRR on tune.
 */
const RANKING_RIDGE = 1;

/**
 * Pairs: a passage that answers against one that does not, for the same question. The
 * regression learns which differences in the features make the first one better.
 */
export function fitRanking(ranked: readonly RankedInputs[]) {
  const samples: Sample[] = [];
  for (const inputs of ranked) {
    for (const good of inputs.filter((i) => i.right)) {
      for (const bad of inputs.filter((i) => !i.right)) {
        const difference = good.x.map((v, k) => v - (bad.x[k] as number));
        samples.push({ x: difference, y: 1 });
        samples.push({ x: difference.map((v) => -v), y: 0 });
      }
    }
  }
  return fitLogistic(samples, { bias: false, ridge: RANKING_RIDGE });
}

/** Share of questions whose best-scored passage answers, over 5 folds of 3 fixed shuffles. */
export function crossValidated(ranked: readonly RankedInputs[]): number {
  const FOLDS = 5;
  let right = 0;
  let asked = 0;
  for (const seed of [1, 2, 3]) {
    // A fixed shuffle: the same folds on every run, so that two features compare fairly.
    const order = ranked
      .map((_, i) => ({
        i,
        key: Math.imul((i + 1) ^ Math.imul(seed, 0x9e3779b9), 0x85ebca6b) >>> 0,
      }))
      .sort((a, b) => a.key - b.key)
      .map(({ i }) => i);
    for (let fold = 0; fold < FOLDS; fold++) {
      const left = order.filter((_, k) => k % FOLDS === fold).map((i) => ranked[i] ?? []);
      const kept = order.filter((_, k) => k % FOLDS !== fold).map((i) => ranked[i] ?? []);
      const { weights } = fitRanking(kept);
      for (const inputs of left) {
        const score = (x: readonly number[]) =>
          x.reduce((sum, v, k) => sum + v * (weights[k] ?? 0), 0);
        const best = inputs.reduce<RankedInputs[number] | undefined>(
          (top, c) => (top === undefined || score(c.x) > score(top.x) ? c : top),
          undefined,
        );
        if (best?.right) right++;
        asked++;
      }
    }
  }
  return asked === 0 ? 0 : right / asked;
}
