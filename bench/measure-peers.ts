/**
 * Summit Desk next to other engines, on one corpus, in one fresh process (started by
 * bench/run.ts with `--expose-gc`), so that all of them run on the same machine state.
 *
 * Each engine indexes the same paragraphs (the corpus is read, cleaned and validated once,
 * before any timing), one after another: build time, and the heap it adds after a full
 * collection (array buffers included). Then the 200 chat-style questions: Summit Desk's full
 * `answer()`, each peer's plain top-10 search. Every engine is asked each question in turn,
 * and the order of the engines turns by one with every question, so that none always runs
 * first after another's garbage.
 *
 * Prints one result line (see stats.ts) and progress on standard error.
 */
import { createAnalyzer } from "../src/core/analyzer.js";
import { answer } from "../src/core/answer.js";
import { loadCorpus } from "../src/core/corpus.js";
import { buildPassageIndex, type PassageIndex } from "../src/core/passage-index.js";
import { type PeerEngine, peerEngines, SUMMIT_DESK } from "./peers.js";
import { chatQuestions, warmUpQuestions } from "./questions.js";
import { collectGarbage, emitResult, progress, type Summary, summarize } from "./stats.js";

export interface PeersJob {
  dir: string;
  label: string;
  root: string;
  /** Passes over the questions. */
  rounds: number;
  /** Warm-up questions, each asked of every engine twice before measuring. */
  warmUp: number;
}

export interface PeerResult {
  name: string;
  buildMs: number;
  heapMb: number;
  latency: Summary;
  /** Share of the questions for which the engine returned a passage (Summit Desk: answered). */
  withResults: number;
}

export interface PeersResult {
  label: string;
  paragraphs: number;
  questions: number;
  rounds: number;
  /** Heap of what the engines load once, whatever the corpus (Summit Desk's lexical resources). */
  resourcesMb: number;
  engines: PeerResult[];
}

/** Heap and array buffers in use after a full collection, in MB. */
function heapMb(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

async function run(job: PeersJob): Promise<PeersResult> {
  const loaded = await loadCorpus(job.dir, job.label);
  if (!loaded.corpus) throw new Error(`${job.label} does not load: ${loaded.problems[0]?.message}`);
  const { articles, aliases } = loaded.corpus;
  const texts = articles.flatMap((a) => a.paragraphs.map((p) => p.text));
  const questions = await chatQuestions(job.root);

  let index: PassageIndex | undefined;
  const summit: PeerEngine = {
    name: SUMMIT_DESK,
    // The index `answer()` needs; the autocomplete vocabulary the bot also builds is left out.
    build: () => {
      index = buildPassageIndex(articles, createAnalyzer(aliases));
    },
    search: (question) => (answer(index as PassageIndex, question).answered ? 1 : 0),
  };
  const engines = [summit, ...peerEngines()];

  // Each engine first indexes a small part of the corpus, untimed: its code is loaded and
  // compiled, and Summit Desk's lexical resources (word lists, WordNet, the alias table) are
  // loaded, so that the timed build and its heap are the index alone.
  const beforeWarmUp = heapMb();
  const few = articles.slice(0, 20);
  buildPassageIndex(few, createAnalyzer(aliases));
  for (const engine of peerEngines())
    engine.build(few.flatMap((a) => a.paragraphs.map((p) => p.text)));
  const resourcesMb = heapMb() - beforeWarmUp;

  const built: Array<{ buildMs: number; heapMb: number }> = [];
  for (const engine of engines) {
    progress(`peers ${job.label}: building ${engine.name}`);
    const before = heapMb();
    const t0 = performance.now();
    engine.build(texts);
    const buildMs = performance.now() - t0;
    built.push({ buildMs, heapMb: heapMb() - before });
  }

  progress(`peers ${job.label}: warming up`);
  for (const q of warmUpQuestions(job.warmUp)) {
    for (const engine of engines) {
      engine.search(q);
      engine.search(q);
    }
  }
  collectGarbage();

  progress(`peers ${job.label}: ${questions.length} questions × ${job.rounds}, engines in turn`);
  const samples = engines.map(() => [] as number[]);
  const found = engines.map(() => 0);
  let turn = 0;
  for (let round = 0; round < job.rounds; round++) {
    for (const question of questions) {
      for (let k = 0; k < engines.length; k++) {
        const e = (turn + k) % engines.length;
        const engine = engines[e] as PeerEngine;
        const t0 = performance.now();
        const count = engine.search(question);
        (samples[e] as number[]).push(performance.now() - t0);
        if (round === 0 && count > 0) found[e] = (found[e] as number) + 1;
      }
      turn++;
    }
  }

  return {
    label: job.label,
    paragraphs: texts.length,
    questions: questions.length,
    rounds: job.rounds,
    resourcesMb,
    engines: engines.map((engine, e) => ({
      name: engine.name,
      buildMs: (built[e] as { buildMs: number }).buildMs,
      heapMb: (built[e] as { heapMb: number }).heapMb,
      latency: summarize(samples[e] as number[]),
      withResults: (found[e] as number) / questions.length,
    })),
  };
}

const job = JSON.parse(process.argv[2] ?? "{}") as PeersJob;
emitResult(await run(job));
