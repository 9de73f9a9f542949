/**
 * Runs INSIDE the worker thread: holds one loaded index (a {@link Library}) and answers the
 * main thread's calls from it. Loading and indexing happen here, off the bot's main thread, so
 * a reload of a large corpus never delays the gateway or other interactions. One thread serves
 * one snapshot for its whole life; a reload starts a new thread and the old one is retired once
 * its calls are answered. The main-thread side is `index-thread-client.ts`.
 */
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { CorpusFiles } from "../core/corpus.js";
import { Library, summarize, unexpectedProblem } from "../core/library.js";
import { CorpusError, type Problem } from "../core/problem.js";
import { packFiles, unpackFiles } from "./packed-files.js";
import {
  type Request,
  type Response,
  type Served,
  type Started,
  WARM_UP_QUESTIONS,
  type WorkerStart,
} from "./protocol.js";

const BUILD_NICENESS = 10;
/** Passages, spread over the corpus, whose opening words are asked once before ready. */
const WARM_UP_PASSAGES = 8;
/** Words of a passage's opening asked as a warm-up question. */
const WARM_UP_WORDS = 12;

/**
 * The warm-up: {@link WARM_UP_QUESTIONS}, then the opening words of passages spread over the
 * corpus, so that the code a question runs is compiled, and the passages and words it
 * touches are analysed, before the first member asks.
 */
function warmUpQuestions(loaded: Library): string[] {
  const passages = loaded.snapshot.index.passages;
  const count = Math.min(passages.length, WARM_UP_PASSAGES);
  const opening = (i: number) =>
    (passages[Math.floor((i * passages.length) / count)]?.text ?? "")
      .split(/\s+/, WARM_UP_WORDS)
      .join(" ");
  return [...WARM_UP_QUESTIONS, ...Array.from({ length: count }, (_, i) => opening(i))];
}

function setPriority(priority: number): void {
  try {
    os.setPriority(priority);
  } catch {
    // Not permitted (or not supported): the priority is only a courtesy.
  }
}

const port = parentPort;
if (!port) throw new Error("index-thread.ts must run in a worker thread");
const { seedsDir, label, background, files: from } = workerData as WorkerStart;

// Building an index for a reload takes a core for seconds. At a lower priority (on Linux the
// nice value is per thread, so this thread alone), the bot's main thread and the thread still
// answering questions keep the CPU when they need it.
const priority = os.getPriority();
if (background) setPriority(BUILD_NICENESS);
const started = performance.now();
let library: Library | undefined;
let files: CorpusFiles = new Map();
let problems: Problem[] = [];
try {
  ({ library, files } = await Library.load(seedsDir, label, from && unpackFiles(from)));
} catch (error) {
  problems = error instanceof CorpusError ? error.problems : [unexpectedProblem(label, error)];
}
// Only the time matters: a question that fails here fails again for its asker, and is
// reported to them then.
for (const question of library ? warmUpQuestions(library) : []) {
  await library?.answer(question).catch(() => undefined);
}
// Raising the priority back needs privileges; without them the thread serves at the lower one.
if (background) setPriority(priority);

if (!library) {
  port.postMessage({ type: "failed", problems } satisfies Started);
} else {
  // The handlers are the library's own methods: whatever the protocol names, it implements.
  const served: Served = library;
  port.on("message", async (request: Request) => {
    let response: Response;
    try {
      const handler = served[request.method] as (...args: unknown[]) => Promise<unknown>;
      response = { id: request.id, ok: true, value: await handler.apply(served, request.args) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      response = { id: request.id, ok: false, error: { name: e.name, message: e.message } };
    }
    port.postMessage(response);
  });
  port.postMessage({
    type: "ready",
    serving: summarize(library.snapshot),
    durationMs: Math.round(performance.now() - started),
    fingerprint: await library.fingerprint(),
    files: packFiles(files),
  } satisfies Started);
  // The main thread keeps its own copy; this thread needs only the index.
  files = new Map();
}
