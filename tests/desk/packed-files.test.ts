/**
 * The files a serving index was built from travel between threads packed in one shared
 * buffer: unpacked, they are the same files, byte for byte, in the same order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packFiles, unpackFiles } from "../../src/desk/packed-files.js";

describe("packed corpus files", () => {
  it("unpack to the same names and bytes, empty files included", () => {
    const encoder = new TextEncoder();
    const files = new Map([
      ["a-first.md", encoder.encode("---\noutlet: A\n---\nÉté, 서울, 北京.\n")],
      ["empty.md", new Uint8Array(0)],
      ["aliases.yaml", encoder.encode("lee: [lee jae myung]\n")],
    ]);
    const packed = packFiles(files);
    expect(packed.bytes).toBeInstanceOf(SharedArrayBuffer);
    const unpacked = unpackFiles(packed);
    expect([...unpacked.keys()]).toEqual(["a-first.md", "empty.md", "aliases.yaml"]);
    for (const [name, bytes] of files) expect(unpacked.get(name)).toEqual(bytes);
  });

  it("give each file its own unshared bytes, which the text decoder accepts", () => {
    const packed = packFiles(new Map([["one.md", new TextEncoder().encode("one paragraph")]]));
    const bytes = unpackFiles(packed).get("one.md") as Uint8Array;
    expect(bytes.buffer).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(bytes)).toBe("one paragraph");
  });

  it("round-trip any set of files", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), fc.uint8Array()), {
          selector: ([name]) => name,
          maxLength: 20,
        }),
        (entries) => {
          const files = new Map(entries);
          const unpacked = unpackFiles(packFiles(files));
          expect([...unpacked]).toEqual([...files]);
        },
      ),
    );
  });
});
