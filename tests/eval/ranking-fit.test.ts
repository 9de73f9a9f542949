import { describe, expect, it } from "vitest";
import { crossValidated, fitRanking, type RankedInputs } from "../../src/eval/ranking-fit.js";

/** One question: a passage that does not answer, then one that does. */
const question = (wrong: number[], right: number[]): RankedInputs => [
  { x: wrong, right: false },
  { x: right, right: true },
];

describe("the ranking regression's cross-validation", () => {
  it("ranks every question right when one feature tells the answer apart", () => {
    const ranked = Array.from({ length: 20 }, (_, i) =>
      question([0.2 + (i % 4) * 0.05, i % 3], [0.8 - (i % 4) * 0.05, i % 3]),
    );
    expect(crossValidated(ranked)).toBe(1);
  });

  it("scores each question with a fit that never saw it", () => {
    // Each question's answer is told apart only by a feature of its own: a fit on all the
    // questions learns them all, a fit on the others knows nothing of the one left out.
    const n = 10;
    const onlyAt = (k: number) => Array.from({ length: 2 * n }, (_, j) => (j === k ? 1 : 0));
    const ranked = Array.from({ length: n }, (_, i) => question(onlyAt(2 * i + 1), onlyAt(2 * i)));
    const { weights } = fitRanking(ranked);
    const score = (x: readonly number[]) => x.reduce((s, v, k) => s + v * (weights[k] ?? 0), 0);
    const inSample = ranked.filter(([w, r]) => r && w && score(r.x) > score(w.x)).length;
    expect(inSample).toBe(n);
    expect(crossValidated(ranked)).toBe(0);
  });
});
