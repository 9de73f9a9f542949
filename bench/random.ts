/**
 * Deterministic randomness for the benchmark: a seeded generator and a Zipf-like sampler.
 * Nothing here uses `Math.random`, so a corpus or a question set is the same on every run.
 */

/** mulberry32: a small, fast 32-bit generator; plenty for test data, not for secrets. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/**
 * Samples ranks 0..n-1 with probability proportional to 1 / (rank + offset)^exponent
 * (Zipf–Mandelbrot), by binary search over the cumulative weights.
 */
export class Zipf {
  readonly #cumulative: Float64Array;

  constructor(
    readonly size: number,
    exponent = 1,
    offset = 2.7,
  ) {
    if (size < 1) throw new RangeError("a Zipf distribution needs at least one rank");
    this.#cumulative = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) {
      total += 1 / (rank + offset) ** exponent;
      this.#cumulative[rank] = total;
    }
  }

  sample(random: Random): number {
    const cumulative = this.#cumulative;
    const target = random.next() * (cumulative[this.size - 1] as number);
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
