/** Summaries of timing samples, and the small helpers every measurement shares. */
import { PerformanceObserver } from "node:perf_hooks";

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of samples sorted ascending (`p` in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

export function median(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/** Runs a full garbage collection when the process was started with `--expose-gc`. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** Memory outside V8's heap that V8 accounts for (`external`), array buffers included. */
  externalMb: number;
  /** The array buffers' part of it (typed arrays, Buffers). */
  arrayBuffersMb: number;
}

/** Memory after a full collection, in MB (10^6 bytes). */
export function memoryAfterGc(): MemoryFigures {
  collectGarbage();
  const m = process.memoryUsage();
  return {
    rssMb: m.rss / 1e6,
    heapUsedMb: m.heapUsed / 1e6,
    heapTotalMb: m.heapTotal / 1e6,
    externalMb: m.external / 1e6,
    arrayBuffersMb: m.arrayBuffers / 1e6,
  };
}

/** Counts the garbage collections (and their pause time) between start() and stop(). */
export class GcCounter {
  #count = 0;
  #ms = 0;
  #maxMs = 0;
  readonly #observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.#count++;
      this.#ms += entry.duration;
      this.#maxMs = Math.max(this.#maxMs, entry.duration);
    }
  });

  start(): void {
    this.#observer.observe({ entryTypes: ["gc"] });
  }

  stop(): { count: number; ms: number; maxMs: number } {
    // Entries are delivered asynchronously; read what was buffered before disconnecting.
    for (const entry of this.#observer.takeRecords()) {
      this.#count++;
      this.#ms += entry.duration;
      this.#maxMs = Math.max(this.#maxMs, entry.duration);
    }
    this.#observer.disconnect();
    return { count: this.#count, ms: this.#ms, maxMs: this.#maxMs };
  }
}

/** A deterministic shuffle (Fisher–Yates with the given generator). */
export function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The result line a measurement child prints for the runner. */
export const RESULT_PREFIX = "BENCH-RESULT ";

export function emitResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Progress for the person running the benchmark, on standard error. */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
