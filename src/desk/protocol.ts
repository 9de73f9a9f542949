/** Messages between the bot's main thread and the worker that holds the index. */
import type { Answer, AnswerOptions, AnswerResult } from "../core/answer.js";
import type { Changes } from "../core/changes.js";
import type { ServingSummary, Sources } from "../core/library.js";
import type { Problem } from "../core/problem.js";

/** What the worker is started with (its `workerData`). */
export interface WorkerStart {
  seedsDir: string;
  label: string;
  /** Build at a lower priority, to leave the CPU to a bot that is already serving (a reload). */
  background: boolean;
}

/** The requests the worker answers, each with its arguments and its result. */
export interface Calls {
  answer: { args: [question: string, options: AnswerOptions]; result: Answer };
  answerByOutlet: { args: [question: string]; result: AnswerResult[] };
  suggest: { args: [input: string]; result: string[] };
  sources: { args: []; result: Sources };
  outlets: { args: []; result: string[] };
  /** The corpus's fingerprint, serialized (see `serializeFingerprint`). */
  fingerprint: { args: []; result: string };
  compare: { args: [before: string]; result: Changes };
}

export type Method = keyof Calls;

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
  | { type: "ready"; serving: ServingSummary; durationMs: number }
  | { type: "failed"; problems: Problem[] };
