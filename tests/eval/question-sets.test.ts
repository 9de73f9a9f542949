import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/core/corpus.js";
import { standardSets } from "../../src/eval/question-sets.js";
import { SEEDS_DIR } from "../support/corpus-folder.js";

describe("the evaluation sets", () => {
  it("hold at least 300 answerable and 80 unanswerable questions of the project's own", async () => {
    const [tune, heldOut] = await standardSets();
    const own = [...(tune?.questions ?? []), ...(heldOut?.questions ?? [])];
    expect(own.filter((q) => !q.unanswerable).length).toBeGreaterThanOrEqual(300);
    expect(own.filter((q) => q.unanswerable).length).toBeGreaterThanOrEqual(80);
    expect(new Set(own.map((q) => q.id)).size).toBe(own.length);
  });

  it("split by paragraph: no paragraph answers questions on both sides", async () => {
    const [tune, heldOut] = await standardSets();
    const first = (q: { seed?: unknown }) => (Array.isArray(q.seed) ? String(q.seed[0]) : "");
    const tuned = new Set(tune?.questions.filter((q) => !q.unanswerable).map(first));
    const leaked = heldOut?.questions.filter((q) => !q.unanswerable && tuned.has(first(q)));
    expect(leaked).toEqual([]);
    expect(heldOut?.questions.length).toBeGreaterThan(100);
  });

  it("accept answers that the articles actually contain", async () => {
    const load = await loadCorpus(SEEDS_DIR);
    const text = (load.corpus?.articles ?? [])
      .flatMap((a) => a.paragraphs.map((p) => p.text.toLowerCase()))
      .join("\n");
    const [tune, heldOut] = await standardSets();
    const missing = [...(tune?.questions ?? []), ...(heldOut?.questions ?? [])].flatMap((q) =>
      q.answers.filter((a) => !text.includes(a.toLowerCase())).map((a) => `${q.id}: ${a}`),
    );
    expect(missing).toEqual([]);
  });
});
