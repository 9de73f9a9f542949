import { describe, expect, it } from "vitest";
import { decodeVectors, encodeVectors, wordVectors } from "../../src/core/word-vectors.js";

describe("word vectors", () => {
  it("round-trip through the file layout as unit vectors", () => {
    const bytes = encodeVectors(
      ["ship", "boat", "cheese"],
      [Float32Array.of(3, 4, 0), Float32Array.of(6, 8, 1), Float32Array.of(0, 0, -2)],
      3,
    );
    const vectors = decodeVectors(bytes);
    expect(vectors.has("boat")).toBe(true);
    expect(vectors.has("car")).toBe(false);
    expect(vectors.similarity("ship", "ship")).toBe(1);
    expect(vectors.similarity("ship", "boat")).toBeCloseTo(0.99, 1);
    expect(vectors.similarity("ship", "cheese")).toBeCloseTo(0, 1);
    expect(vectors.similarity("ship", "car")).toBeUndefined();
  });

  it("find the nearest of some prepared words as the best of the pairwise similarities", () => {
    const vectors = decodeVectors(
      encodeVectors(
        ["ship", "boat", "cheese", "milk"],
        [
          Float32Array.of(3, 4, 0),
          Float32Array.of(6, 8, 1),
          Float32Array.of(0, 0, -2),
          Float32Array.of(0, 1, -2),
        ],
        3,
      ),
    );
    const prepared = vectors.prepare(["boat", "milk", "unknown-word"]);
    expect(vectors.nearest("ship", prepared)).toBeCloseTo(
      vectors.similarity("ship", "boat") ?? 0,
      6,
    );
    expect(vectors.nearest("cheese", prepared)).toBeCloseTo(
      vectors.similarity("cheese", "milk") ?? 0,
      6,
    );
    expect(vectors.nearest("unknown-word", prepared)).toBe(1);
    expect(vectors.nearest("car", prepared)).toBeUndefined();
    expect(vectors.nearest("ship", vectors.prepare(["car"]))).toBeUndefined();
  });

  it("refuses a file that is not a vector file", () => {
    expect(() => decodeVectors(Buffer.from("not vectors at all"))).toThrow(
      "word-vectors.bin is not a word vector file",
    );
  });

  it("ship with the code and put near words closer than unrelated ones", () => {
    const vectors = wordVectors();
    const near = vectors.similarity("phone", "handset") ?? 0;
    const far = vectors.similarity("phone", "banquet") ?? 0;
    expect(near).toBeGreaterThan(0.4);
    expect(far).toBeLessThan(near - 0.2);
    expect(vectors.similarity("wife", "spouse")).toBeGreaterThan(0.4);
  });
});
