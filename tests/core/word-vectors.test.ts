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
    // By number, as a passage's words are compared: the same figures.
    const [ship, boat, cheese] = ["ship", "boat", "cheese"].map((w) => vectors.idOf(w));
    expect(vectors.idOf("car")).toBe(-1);
    expect(new Set([ship, boat, cheese]).size).toBe(3);
    expect(vectors.similarityOf(ship as number, ship as number)).toBe(1);
    expect(vectors.similarityOf(ship as number, boat as number)).toBe(
      vectors.similarity("ship", "boat"),
    );
    expect(vectors.similarityOf(boat as number, cheese as number)).toBe(
      vectors.similarity("boat", "cheese"),
    );
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
