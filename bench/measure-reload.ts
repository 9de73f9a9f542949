/**
 * A reload of a large corpus while questions keep arriving, through the bot's own
 * {@link ThreadedDesk}: the index lives in a worker thread, a reload builds a second one and
 * swaps it in. Questions arrive at a fixed rate (open loop: an arrival does not wait for the
 * previous answer) before, during and after the reload.
 *
 * Measured on the main thread, which is where the bot's gateway and interactions run:
 * - event-loop lag: a 10 ms interval timer's lateness, worst per phase;
 * - each question's latency, and how much longer it took than the same question took
 *   through the same desk just before (its "extra wait");
 * - failures (rejected calls), the reload's outcome and duration, and RSS before, at the
 *   peak (two indexes live) and after;
 * - the CPU time of the main thread and of the other threads (the index workers and V8's
 *   helper threads) in each phase.
 *
 * The phase before the reload is the steady state the reload is judged against: the worst
 * extra wait during the reload should stay within 50 ms of the steady state's p99 extra wait.
 */
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { openThreadedDesk, type ThreadedDesk } from "../src/desk/index-thread-client.js";
import { createLogger } from "../src/log.js";
import { benchQuestions, warmUpQuestions } from "./questions.js";
import { collectGarbage, emitResult, median, progress, type Summary, summarize } from "./stats.js";

export interface ReloadJob {
  dir: string;
  label: string;
  root: string;
  /**
   * Questions per second arriving at the desk, at most; lowered to a quarter of what the desk
   * answers one after another, so that questions do not queue up before the reload starts.
   */
  maxRate: number;
  /** How many of the measured questions to cycle through (evenly spaced over the set). */
  questions: number;
  /** How long to measure before the reload, and after it completed. */
  beforeMs: number;
  afterMs: number;
}

type Phase = "before" | "reload" | "after";

interface PhaseResult {
  questions: number;
  failed: number;
  latency: Summary;
  /** Each question's latency beyond the same question's own latency measured just before. */
  extra: Summary;
  /** Worst of those. */
  maxExtraMs: number;
  /** Worst lateness of a 10 ms timer on the main thread. */
  maxLagMs: number;
  /** The same, from Node's event-loop delay histogram (1 ms resolution). */
  histogramMaxMs: number;
  /** How long the phase lasted, and the CPU time the main thread used in it. */
  durationMs: number;
  mainThreadCpuMs: number;
  /** CPU time of the process's other threads: the index workers and V8's helper threads. */
  otherThreadsCpuMs: number;
}

export interface ReloadResult {
  label: string;
  rate: number;
  questions: number;
  /** Mean latency of the cycled questions through the desk, one at a time, before the run. */
  baselineMeanMs: number;
  openMs: number;
  reload: { status: string; durationMs: number; paragraphs: number };
  phases: Record<Phase, PhaseResult>;
  rssMb: { before: number; peak: number; after: number };
  unanswered: number;
}

interface Arrival {
  question: string;
  phase: Phase;
  sentAt: number;
  ms?: number;
  failed?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CPU time the main thread itself has used, in ms, from /proc (Linux; clock ticks of 10 ms).
 * Lag with an idle main thread means it was waiting for a core, not running code.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function run(job: ReloadJob): Promise<ReloadResult> {
  const log = createLogger({ level: "silent" });
  const all = (await benchQuestions(job.root)).map((q) => q.text);
  const step = Math.max(1, all.length / job.questions);
  const questions = Array.from(
    { length: Math.min(job.questions, all.length) },
    (_, i) => all[Math.floor(i * step)] as string,
  );

  progress(`reload ${job.label}: opening the desk (index in a worker)`);
  const t0 = performance.now();
  const desk: ThreadedDesk = openThreadedDesk(job.dir, job.label, log);
  await desk.ready;
  const openMs = performance.now() - t0;
  try {
    progress(`reload ${job.label}: warming up, then each question's own latency`);
    for (const q of warmUpQuestions(job.questions)) await desk.answer(q);
    const own = new Map<string, number[]>();
    for (let pass = 0; pass < 2; pass++) {
      for (const q of questions) {
        const a = performance.now();
        await desk.answer(q);
        const ms = performance.now() - a;
        own.set(q, [...(own.get(q) ?? []), ms]);
      }
    }
    const baseline = new Map([...own].map(([q, ms]) => [q, median(ms)]));
    const meanMs = [...baseline.values()].reduce((a, b) => a + b, 0) / baseline.size;
    // A quarter of what the desk answers one at a time: busy, but not queueing.
    const rate = Math.min(job.maxRate, 250 / meanMs);
    collectGarbage();

    let phase: Phase = "before";
    const arrivals: Arrival[] = [];
    const lag: Record<Phase, number> = { before: 0, reload: 0, after: 0 };
    const histogramMax: Record<Phase, number> = { before: 0, reload: 0, after: 0 };
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    const rss: Record<Phase, number[]> = { before: [], reload: [], after: [] };

    let expected = performance.now() + 10;
    const ticker = setInterval(() => {
      const now = performance.now();
      lag[phase] = Math.max(lag[phase], now - expected);
      expected = now + 10;
    }, 10);
    const sampler = setInterval(() => rss[phase].push(process.memoryUsage.rss() / 1e6), 100);
    let next = 0;
    const interval = 1000 / rate;
    const sender = setInterval(() => {
      const question = questions[next++ % questions.length] as string;
      const arrival: Arrival = { question, phase, sentAt: performance.now() };
      arrivals.push(arrival);
      desk.answer(question).then(
        () => {
          arrival.ms = performance.now() - arrival.sentAt;
        },
        () => {
          arrival.ms = performance.now() - arrival.sentAt;
          arrival.failed = true;
        },
      );
    }, interval);
    const duration: Record<Phase, number> = { before: 0, reload: 0, after: 0 };
    const cpu: Record<Phase, number> = { before: 0, reload: 0, after: 0 };
    const processCpu: Record<Phase, number> = { before: 0, reload: 0, after: 0 };
    const processCpuMs = () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1000;
    };
    let phaseStart = performance.now();
    let phaseCpu = mainThreadCpuMs();
    let phaseProcessCpu = processCpuMs();
    const switchTo = (to: Phase | "end") => {
      histogramMax[phase] = histogram.max / 1e6;
      histogram.reset();
      duration[phase] = performance.now() - phaseStart;
      cpu[phase] = mainThreadCpuMs() - phaseCpu;
      processCpu[phase] = processCpuMs() - phaseProcessCpu;
      phaseStart = performance.now();
      phaseCpu = mainThreadCpuMs();
      phaseProcessCpu = processCpuMs();
      if (to !== "end") phase = to;
    };

    histogram.enable();
    progress(
      `reload ${job.label}: ${rate.toFixed(1)} questions/s, ${job.beforeMs} ms before the reload`,
    );
    await sleep(job.beforeMs);
    switchTo("reload");
    progress(`reload ${job.label}: reloading`);
    const outcome = await desk.reload();
    switchTo("after");
    progress(`reload ${job.label}: ${job.afterMs} ms after the swap`);
    await sleep(job.afterMs);
    switchTo("end");
    histogram.disable();
    clearInterval(sender);
    clearInterval(ticker);
    clearInterval(sampler);

    // Bounded: every call fails by itself after the desk's call timeout (10 s).
    const deadline = performance.now() + 15_000;
    while (arrivals.some((a) => a.ms === undefined) && performance.now() < deadline) {
      await sleep(20);
    }
    await sleep(500);
    collectGarbage();
    const rssAfter = process.memoryUsage.rss() / 1e6;

    const phases = {} as Record<Phase, PhaseResult>;
    for (const p of ["before", "reload", "after"] as const) {
      const of = arrivals.filter((a) => a.phase === p && a.ms !== undefined);
      const extra = of.map((a) => (a.ms as number) - (baseline.get(a.question) ?? 0));
      phases[p] = {
        questions: arrivals.filter((a) => a.phase === p).length,
        failed: of.filter((a) => a.failed).length,
        latency: summarize(of.map((a) => a.ms as number)),
        extra: summarize(extra),
        maxExtraMs: Math.max(0, ...extra),
        maxLagMs: lag[p],
        histogramMaxMs: histogramMax[p],
        durationMs: duration[p],
        mainThreadCpuMs: cpu[p],
        otherThreadsCpuMs: processCpu[p] - cpu[p],
      };
    }
    return {
      label: job.label,
      rate,
      questions: questions.length,
      baselineMeanMs: meanMs,
      openMs,
      reload: {
        status: outcome.status,
        durationMs: outcome.status === "reloaded" ? outcome.durationMs : Number.NaN,
        paragraphs: outcome.serving.paragraphs,
      },
      phases,
      rssMb: {
        before: median(rss.before),
        peak: Math.max(...rss.reload, ...rss.after),
        after: rssAfter,
      },
      unanswered: arrivals.filter((a) => a.ms === undefined).length,
    };
  } finally {
    await desk.close();
  }
}

const job = JSON.parse(process.argv[2] ?? "{}") as ReloadJob;
emitResult(await run(job));
