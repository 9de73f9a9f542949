import { describe, expect, it } from "vitest";
import { fitLogistic, type Sample } from "../../src/eval/logistic.js";

describe("logistic regression", () => {
  it("learns which feature separates the classes, and its sign", () => {
    // y = 1 when the first feature is high; the second is noise that repeats in both classes.
    const samples: Sample[] = [];
    for (let i = 0; i < 40; i++) {
      const noise = (i % 5) / 5;
      samples.push({ x: [0.8 + (i % 3) * 0.05, noise], y: 1 });
      samples.push({ x: [0.2 - (i % 3) * 0.05, noise], y: 0 });
    }
    samples.push({ x: [0.45, 0], y: 1 }, { x: [0.55, 0], y: 0 });
    const fit = fitLogistic(samples);
    expect(fit.weights[0]).toBeGreaterThan(3);
    expect(Math.abs(fit.weights[1] ?? 0)).toBeLessThan(0.5);
    const p = (x: number[]) =>
      1 / (1 + Math.exp(-(fit.bias + (fit.weights[0] ?? 0) * (x[0] ?? 0))));
    expect(p([0.9])).toBeGreaterThan(0.9);
    expect(p([0.1])).toBeLessThan(0.1);
  });

  it("fits no intercept when asked, for pairwise differences", () => {
    const samples: Sample[] = [
      { x: [1], y: 1 },
      { x: [-1], y: 0 },
      { x: [0.5], y: 1 },
      { x: [-0.5], y: 0 },
      { x: [0.2], y: 0 },
      { x: [-0.2], y: 1 },
    ];
    const fit = fitLogistic(samples, { bias: false });
    expect(fit.bias).toBe(0);
    expect(fit.weights[0]).toBeGreaterThan(0);
  });

  it("weighs a rare class up when balancing", () => {
    const samples: Sample[] = [
      ...Array.from({ length: 30 }, (_, i): Sample => ({ x: [(i % 10) / 10], y: 0 })),
      { x: [0.95], y: 1 },
      { x: [0.9], y: 1 },
      { x: [0.3], y: 1 },
    ];
    const plain = fitLogistic(samples);
    const balanced = fitLogistic(samples, { balance: true });
    expect(balanced.bias).toBeGreaterThan(plain.bias);
  });
});
