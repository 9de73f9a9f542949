/**
 * The files an index was built from, packed into one shared buffer to pass between threads.
 *
 * The main thread keeps the files the serving index was built from, to rebuild it after a
 * crash. Sent as a map of byte arrays, the 4,400 files of a large corpus are copied one by one
 * into the main thread's heap when the worker reports ready: at 100,000 paragraphs that held
 * the main thread (the gateway and every answer's delivery) for up to 650 ms on a loaded
 * machine. One `SharedArrayBuffer` is not copied at all, neither to the main thread nor to a
 * restarted worker; the files are never changed once packed.
 */
import type { CorpusFiles } from "../core/corpus.js";

export interface PackedFiles {
  names: string[];
  /** File i is bytes[ends[i - 1] ?? 0, ends[i]). */
  ends: Uint32Array;
  bytes: SharedArrayBuffer;
}

/** Packs the files (in the worker that read them). */
export function packFiles(files: CorpusFiles): PackedFiles {
  const names = [...files.keys()];
  const ends = new Uint32Array(names.length);
  let total = 0;
  names.forEach((name, i) => {
    total += (files.get(name) as Uint8Array).byteLength;
    ends[i] = total;
  });
  const bytes = new SharedArrayBuffer(total);
  const view = new Uint8Array(bytes);
  names.forEach((name, i) => {
    view.set(files.get(name) as Uint8Array, i === 0 ? 0 : (ends[i - 1] as number));
  });
  return { names, ends, bytes };
}

/** The files again, each an ordinary (unshared) copy, as the corpus loader reads them. */
export function unpackFiles(packed: PackedFiles): CorpusFiles {
  const view = new Uint8Array(packed.bytes);
  return new Map(
    packed.names.map((name, i) => [
      name,
      view.slice(i === 0 ? 0 : (packed.ends[i - 1] as number), packed.ends[i] as number),
    ]),
  );
}
