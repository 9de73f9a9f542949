/**
 * Messages between the bot's main thread (`index-thread-client.ts`) and the worker thread that
 * holds the index (`index-thread.ts`). The calls are derived from {@link Desk}: every desk
 * method but `reload` (a reload replaces the thread), plus the two a reload uses to compare
 * the new thread's corpus with the old one's.
 */
import type { Desk, DeskMethod, ServingSummary } from "../core/desk.js";
import type { Library } from "../core/library.js";
import type { Problem } from "../core/problem.js";
import type { PackedFiles } from "./packed-files.js";

/** What the worker is started with (its `workerData`). */
export interface WorkerStart {
  seedsDir: string;
  label: string;
  /** Build at a lower priority, to leave the CPU to a bot that is already serving (a reload). */
  background: boolean;
  /**
   * Build from these files (read earlier, kept by the main thread) instead of the folder: a
   * thread restarted after a crash serves exactly what was being served.
   */
  files?: PackedFiles;
}

/** What a thread answers: the desk's methods, as {@link Library} implements them. */
export type Served = Pick<Desk, Exclude<DeskMethod, "reload">> &
  Pick<Library, "fingerprint" | "changesSince">;

export type Method = keyof Served;

/** The requests the worker answers, each with its arguments and its result. */
export type Calls = {
  [M in Method]: { args: Parameters<Served[M]>; result: Awaited<ReturnType<Served[M]>> };
};

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  args: Calls[M]["args"];
}

export type Response =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

/** The first message a worker sends: its index is ready, or the corpus could not be loaded. */
export type Started =
  | {
      type: "ready";
      serving: ServingSummary;
      durationMs: number;
      /** The corpus's fingerprint (`Library.fingerprint`), to compare a later one with. */
      fingerprint: string;
      /** The files the index was built from, for the main thread to keep. */
      files: PackedFiles;
    }
  | { type: "failed"; problems: Problem[] };

/**
 * Questions a new index thread answers before it reports ready, and whose replies the bot's
 * main thread renders once before it reports ready: the first answer otherwise pays for
 * loading WordNet and the word vectors, filling the analyzer's caches and compiling the code
 * on the way, which the first members to ask after a start would wait for. Varied on purpose:
 * one likely answered, one with words the articles lack, one in another script.
 */
export const WARM_UP_QUESTIONS: readonly string[] = [
  "What did the two leaders agree on at the summit?",
  "who took the selfie and wat phone was used??",
  "정상회담에서 무엇을 합의했나요?",
];
