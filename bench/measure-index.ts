/**
 * One corpus, in a fresh process (started by bench/run.ts with `--expose-gc`): time to a ready
 * index, memory with it loaded, and answer latency next to plain MiniSearch.
 *
 * Prints one result line (see stats.ts) and progress on standard error.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { createAnalyzer } from "../src/core/analyzer.js";
import { answer } from "../src/core/answer.js";
import { fingerprintOf } from "../src/core/changes.js";
import { loadCorpus } from "../src/core/corpus.js";
import { loadSnapshot } from "../src/core/library.js";
import { buildPassageIndex, type PassageIndex } from "../src/core/passage-index.js";
import { DEFAULT_TUNING } from "../src/core/ranking.js";
import { buildVocabulary } from "../src/core/suggest.js";
import { plural } from "../src/core/wording.js";
import { buildPlainIndex, plainSearch, plainSearchOn } from "./plain.js";
import { type BenchQuestion, benchQuestions, warmUpQuestions } from "./questions.js";
import { mulberry32 } from "./random.js";
import {
  collectGarbage,
  emitResult,
  GcCounter,
  type MemoryFigures,
  median,
  memoryAfterGc,
  progress,
  type Summary,
  shuffled,
  summarize,
} from "./stats.js";

export interface IndexJob {
  dir: string;
  label: string;
  root: string;
  /** Further (warm) loads after the first, timed stage by stage. */
  loadReps: number;
  /** Passes over the question set, each in a new order. */
  rounds: number;
  /** Warm-up questions, each asked three times before measuring. */
  warmUp: number;
  /** Also build a separate plain MiniSearch and check it against the shared-instance baseline. */
  checkPlain: boolean;
  /** CPU to pin the process to for the one-core throughput, or null. */
  cpu: number | null;
  /** How long each throughput measurement runs. */
  throughputMs: number;
  /** Questions for the cost-by-lever breakdown (0: skip it). */
  levers: number;
}

export interface StageTimes {
  readCleanValidateMs: number;
  indexMs: number;
  vocabularyMs: number;
  fingerprintMs: number;
  totalMs: number;
}

export interface PlainCheck {
  buildMs: number;
  /** Terms and documents of the separately built plain index, and of ours. */
  terms: number;
  ourTerms: number;
  documents: number;
  ourDocuments: number;
  /** Share of questions whose top-10 passages are the same set in both. */
  top10Agreement: number;
  /** Latency of `search(question)` on the separately built index, and on ours. */
  separateP50: number;
  sharedP50: number;
}

export interface IndexResult {
  label: string;
  articles: number;
  paragraphs: number;
  terms: number;
  droppedLines: number;
  coldLoadMs: number;
  warmLoads: StageTimes[];
  memoryBefore: MemoryFigures;
  memoryLoaded: MemoryFigures;
  plainCheck: PlainCheck | null;
  pinnedCpu: number | null;
  questions: number;
  rounds: number;
  answeredShare: number;
  pipeline: Summary;
  plain: Summary;
  /** The first pass only: nothing of the measured questions cached yet. */
  pipelineFirstRound: Summary;
  bySource: Record<string, { pipelineP50: number; plainP50: number; n: number }>;
  pipelinePerSecond: number;
  plainPerSecond: number;
  gc: { count: number; ms: number; maxMs: number };
  /** Passages plain MiniSearch returns per question (median, and as a share of the corpus). */
  matchedMedian: number;
  matchedShare: number;
  levers: Array<{ name: string; p50: number; mean: number; n: number }>;
  slowest: Array<{ question: string; pipelineMs: number; plainMs: number }>;
  loadAverage: { start: number[]; end: number[] };
}

async function timeStages(dir: string, label: string): Promise<StageTimes> {
  const t0 = performance.now();
  const loaded = await loadCorpus(dir, label);
  const t1 = performance.now();
  if (!loaded.corpus) throw new Error(`${label} does not load: ${loaded.problems[0]?.message}`);
  const { articles, aliases } = loaded.corpus;
  buildPassageIndex(articles, createAnalyzer(aliases));
  const t2 = performance.now();
  buildVocabulary(articles);
  const t3 = performance.now();
  fingerprintOf(articles);
  const t4 = performance.now();
  return {
    readCleanValidateMs: t1 - t0,
    indexMs: t2 - t1,
    vocabularyMs: t3 - t2,
    fingerprintMs: t4 - t3,
    totalMs: t4 - t0,
  };
}

function pin(cpu: number | null): number | null {
  if (cpu === null) return null;
  try {
    // -a: every thread of the process, the garbage collector's helpers included.
    execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], {
      stdio: "ignore",
    });
    return cpu;
  } catch {
    progress("taskset is not available; throughput is measured without pinning to one core");
    return null;
  }
}

/** Calls `fn` on the questions in turn until `ms` passed (at least once); calls per second. */
function throughput(questions: readonly string[], fn: (q: string) => unknown, ms: number): number {
  let calls = 0;
  const started = performance.now();
  // Bounded by time; the check is per call because one call may take a large part of `ms`.
  while (calls === 0 || performance.now() - started < ms) {
    fn(questions[calls % questions.length] as string);
    calls++;
  }
  return (calls / (performance.now() - started)) * 1000;
}

const sameSet = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

function checkPlain(index: PassageIndex, questions: readonly string[]): PlainCheck {
  const t0 = performance.now();
  const separate = buildPlainIndex(index.articles, index.analyzer);
  const buildMs = performance.now() - t0;
  let agree = 0;
  const separateMs: number[] = [];
  const sharedMs: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    for (const q of questions) {
      const a = performance.now();
      const mine = plainSearch(separate, index, q);
      const b = performance.now();
      const ours = plainSearchOn(index, q);
      const c = performance.now();
      if (pass === 2) {
        separateMs.push(b - a);
        sharedMs.push(c - b);
        const top = (r: typeof mine) => r.slice(0, 10).map((x) => x.id);
        if (sameSet(top(mine), top(ours))) agree++;
      }
    }
  }
  return {
    buildMs,
    terms: separate.termCount,
    ourTerms: index.search.termCount,
    documents: separate.documentCount,
    ourDocuments: index.search.documentCount,
    top10Agreement: agree / questions.length,
    separateP50: median(separateMs),
    sharedP50: median(sharedMs),
  };
}

/** Latency of variants of the pipeline and the baseline, interleaved question by question. */
function leverBreakdown(index: PassageIndex, questions: readonly string[]) {
  const variants: Array<{ name: string; run: (q: string) => unknown }> = [
    { name: "pipeline", run: (q) => answer(index, q) },
    {
      name: "pipeline without stand-ins",
      run: (q) =>
        answer(index, q, { tuning: { ...DEFAULT_TUNING, relatedWeight: 0, synonymWeight: 0 } }),
    },
    {
      name: "pipeline without fuzzy and prefix",
      run: (q) => answer(index, q, { tuning: { ...DEFAULT_TUNING, fuzzy: false, prefix: false } }),
    },
    { name: "plain", run: (q) => plainSearchOn(index, q) },
    {
      name: "plain without fuzzy and prefix",
      run: (q) => plainSearchOn(index, q, { fuzzy: false, prefix: false }),
    },
  ];
  const times = variants.map(() => [] as number[]);
  questions.forEach((q, i) => {
    for (let k = 0; k < variants.length; k++) {
      // Rotate the order per question so that no variant always follows the same one.
      const v = (k + i) % variants.length;
      const a = performance.now();
      (variants[v] as (typeof variants)[number]).run(q);
      (times[v] as number[]).push(performance.now() - a);
    }
  });
  return variants.map((v, k) => {
    const s = summarize(times[k] as number[]);
    return { name: v.name, p50: s.p50, mean: s.mean, n: s.n };
  });
}

interface Sample {
  question: BenchQuestion;
  pipeline: number;
  plain: number;
  round: number;
}

async function run(job: IndexJob): Promise<IndexResult> {
  const loadStart = os.loadavg();
  const questions = await benchQuestions(job.root);
  const memoryBefore = memoryAfterGc();

  progress(`${job.label}: loading (cold)`);
  const t0 = performance.now();
  const { snapshot, problems } = await loadSnapshot(job.dir, job.label);
  const coldLoadMs = performance.now() - t0;
  if (!snapshot) throw new Error(`${job.label} does not load: ${problems[0]?.message}`);
  const index: PassageIndex = snapshot.index;
  const memoryLoaded = memoryAfterGc();
  const droppedLines = index.articles.reduce((n, a) => n + a.dropped.length, 0);

  const warmLoads: StageTimes[] = [];
  for (let i = 0; i < job.loadReps; i++) {
    progress(`${job.label}: warm load ${i + 1}/${job.loadReps}`);
    warmLoads.push(await timeStages(job.dir, job.label));
    collectGarbage();
  }

  const plain = (q: string) => plainSearchOn(index, q);
  const ask = (q: string) => answer(index, q);

  progress(`${job.label}: warming up`);
  const warmUp = warmUpQuestions(job.warmUp);
  for (let pass = 0; pass < 3; pass++) {
    for (const q of warmUp) {
      ask(q);
      plain(q);
    }
  }

  let plainCheck: PlainCheck | null = null;
  if (job.checkPlain) {
    progress(`${job.label}: checking the baseline against a separately built plain MiniSearch`);
    plainCheck = checkPlain(
      index,
      questions.map((q) => q.text),
    );
  }
  collectGarbage();

  progress(
    `${job.label}: ${plural(job.rounds, "round")} of ${plural(questions.length, "question")}`,
  );
  const samples: Sample[] = [];
  const random = mulberry32(1234);
  const gc = new GcCounter();
  let answered = 0;
  const matched: number[] = [];
  gc.start();
  for (let round = 0; round < job.rounds; round++) {
    const order = shuffled(questions, random);
    order.forEach((question, i) => {
      // Alternate which goes first, so neither always runs right after the other's garbage.
      let pipeline: number;
      let plainMs: number;
      let ok: boolean;
      let found: number;
      if (i % 2 === 0) {
        const a = performance.now();
        ok = ask(question.text).answered;
        const b = performance.now();
        found = plain(question.text).length;
        const c = performance.now();
        pipeline = b - a;
        plainMs = c - b;
      } else {
        const a = performance.now();
        found = plain(question.text).length;
        const b = performance.now();
        ok = ask(question.text).answered;
        const c = performance.now();
        plainMs = b - a;
        pipeline = c - b;
      }
      if (round === 0) {
        if (ok) answered++;
        matched.push(found);
      }
      samples.push({ question, pipeline, plain: plainMs, round });
    });
    // Garbage-collection entries are delivered on the event loop: let them in between rounds.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const gcStats = gc.stop();

  const pinnedCpu = pin(job.cpu);
  progress(`${job.label}: throughput${pinnedCpu === null ? "" : ` on CPU ${pinnedCpu}`}`);
  const texts = shuffled(
    questions.map((q) => q.text),
    mulberry32(99),
  );
  collectGarbage();
  const pipelinePerSecond = throughput(texts, ask, job.throughputMs);
  collectGarbage();
  const plainPerSecond = throughput(texts, plain, job.throughputMs);

  let levers: IndexResult["levers"] = [];
  if (job.levers > 0) {
    progress(`${job.label}: cost by lever on ${job.levers} questions`);
    collectGarbage();
    const step = Math.max(1, questions.length / job.levers);
    const subset = Array.from(
      { length: Math.min(job.levers, questions.length) },
      (_, i) => (questions[Math.floor(i * step)] as BenchQuestion).text,
    );
    levers = leverBreakdown(index, subset);
  }

  const bySource: IndexResult["bySource"] = {};
  for (const source of ["dev", "paraphrase", "generated"]) {
    const of = samples.filter((s) => s.question.source === source);
    bySource[source] = {
      pipelineP50: median(of.map((s) => s.pipeline)),
      plainP50: median(of.map((s) => s.plain)),
      n: of.length / job.rounds,
    };
  }
  const perQuestion = new Map<string, { pipeline: number[]; plain: number[] }>();
  for (const s of samples) {
    const entry = perQuestion.get(s.question.text) ?? { pipeline: [], plain: [] };
    entry.pipeline.push(s.pipeline);
    entry.plain.push(s.plain);
    perQuestion.set(s.question.text, entry);
  }
  const slowest = [...perQuestion]
    .map(([question, t]) => ({
      question,
      pipelineMs: median(t.pipeline),
      plainMs: median(t.plain),
    }))
    .sort((a, b) => b.pipelineMs - a.pipelineMs)
    .slice(0, 5);

  return {
    label: job.label,
    articles: index.articles.length,
    paragraphs: index.passages.length,
    terms: index.search.termCount,
    droppedLines,
    coldLoadMs,
    warmLoads,
    memoryBefore,
    memoryLoaded,
    plainCheck,
    pinnedCpu,
    questions: questions.length,
    rounds: job.rounds,
    answeredShare: answered / questions.length,
    pipeline: summarize(samples.map((s) => s.pipeline)),
    plain: summarize(samples.map((s) => s.plain)),
    pipelineFirstRound: summarize(samples.filter((s) => s.round === 0).map((s) => s.pipeline)),
    bySource,
    pipelinePerSecond,
    plainPerSecond,
    gc: gcStats,
    matchedMedian: median(matched),
    matchedShare: median(matched) / index.passages.length,
    levers,
    slowest,
    loadAverage: { start: loadStart, end: os.loadavg() },
  };
}

const job = JSON.parse(process.argv[2] ?? "{}") as IndexJob;
emitResult(await run(job));
