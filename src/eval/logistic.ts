/**
 * Logistic regression fitted by Newton's method (iteratively reweighted least squares) with a
 * small ridge penalty: exact, deterministic and quick for a handful of features. Used to fit
 * the ranking model (src/core/ranking-model.ts).
 */

export interface Sample {
  x: readonly number[];
  y: 0 | 1;
}

export interface Fit {
  bias: number;
  weights: number[];
}

/**
 * Fits weights to samples. `balance` weighs each class by the inverse of its size, so a rare
 * class is not ignored; `bias: false` fits no intercept (for pairwise differences).
 */
export function fitLogistic(
  samples: readonly Sample[],
  options: { ridge?: number; iterations?: number; balance?: boolean; bias?: boolean } = {},
): Fit {
  const { ridge = 0.1, iterations = 50, balance = false, bias = true } = options;
  const dims = (samples[0]?.x.length ?? 0) + (bias ? 1 : 0);
  const positives = samples.filter((s) => s.y === 1).length;
  const negatives = samples.length - positives;
  const classWeight = (y: 0 | 1) =>
    balance ? samples.length / (2 * Math.max(1, y === 1 ? positives : negatives)) : 1;
  const rows = samples.map((s) => (bias ? [1, ...s.x] : [...s.x]));
  let w = new Array<number>(dims).fill(0);
  for (let iteration = 0; iteration < iterations; iteration++) {
    // Gradient and Hessian of the penalised negative log-likelihood.
    const gradient = w.map((wi, i) => (bias && i === 0 ? 0 : ridge * wi));
    const hessian = Array.from({ length: dims }, (_, i) =>
      Array.from({ length: dims }, (_, j) => (i === j && !(bias && i === 0) ? ridge : 0)),
    );
    rows.forEach((x, n) => {
      const sample = samples[n] as Sample;
      let z = 0;
      for (let i = 0; i < dims; i++) z += (w[i] as number) * (x[i] as number);
      const p = 1 / (1 + Math.exp(-z));
      const c = classWeight(sample.y);
      const r = c * p * (1 - p);
      for (let i = 0; i < dims; i++) {
        gradient[i] = (gradient[i] as number) + c * (p - sample.y) * (x[i] as number);
        const hi = hessian[i] as number[];
        for (let j = 0; j < dims; j++)
          hi[j] = (hi[j] as number) + r * (x[i] as number) * (x[j] as number);
      }
    });
    const step = solve(hessian, gradient);
    w = w.map((wi, i) => wi - (step[i] as number));
    if (step.every((s) => Math.abs(s) < 1e-9)) break;
  }
  return bias ? { bias: w[0] as number, weights: w.slice(1) } : { bias: 0, weights: w };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r]?.[col] as number) > Math.abs(m[pivot]?.[col] as number)) pivot = r;
    }
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const top = m[col] as number[];
    const lead = top[col] as number;
    if (Math.abs(lead) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r] as number[];
      const factor = (row[col] as number) / lead;
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - factor * (top[c] as number);
    }
  }
  return m.map((row, i) => {
    const lead = row[i] as number;
    return Math.abs(lead) < 1e-12 ? 0 : (row[n] as number) / lead;
  });
}
