/**
 * The worker thread that holds one loaded index and answers questions from it. Loading and
 * indexing happen here, off the bot's main thread, so a reload of a large corpus never delays
 * the gateway or other interactions. One worker serves one snapshot for its whole life; a
 * reload starts a new worker and the old one is retired once its calls are answered.
 */
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { answer, answerByOutlet } from "../core/answer.js";
import { compareFingerprints, parseFingerprint, serializeFingerprint } from "../core/changes.js";
import {
  loadSnapshot,
  type Snapshot,
  sourcesOf,
  summarize,
  unexpectedProblem,
} from "../core/library.js";
import { suggest } from "../core/suggest.js";
import type { Calls, Method, Request, Response, Started, WorkerStart } from "./protocol.js";

const BUILD_NICENESS = 10;

function setPriority(priority: number): void {
  try {
    os.setPriority(priority);
  } catch {
    // Not permitted (or not supported): the priority is only a courtesy.
  }
}

const port = parentPort;
if (!port) throw new Error("desk-worker must run in a worker thread");
const { seedsDir, label, background } = workerData as WorkerStart;

function handlers(snapshot: Snapshot): {
  [M in Method]: (...args: Calls[M]["args"]) => Calls[M]["result"];
} {
  const { index, vocabulary, fingerprint } = snapshot;
  return {
    answer: (question, options) => answer(index, question, options),
    answerByOutlet: (question) => answerByOutlet(index, question),
    suggest: (input) => suggest(vocabulary, input),
    sources: () => sourcesOf(snapshot),
    outlets: () => index.outlets.map((o) => o.name),
    fingerprint: () => serializeFingerprint(fingerprint),
    compare: (before) => compareFingerprints(parseFingerprint(before), fingerprint),
  };
}

// Building an index for a reload takes a core for seconds. At a lower priority (on Linux the
// nice value is per thread, so this thread alone), the bot's main thread and the worker still
// answering questions keep the CPU when they need it.
const priority = os.getPriority();
if (background) setPriority(BUILD_NICENESS);
const started = performance.now();
let loaded: Awaited<ReturnType<typeof loadSnapshot>>;
try {
  loaded = await loadSnapshot(seedsDir, label);
} catch (error) {
  loaded = { problems: [unexpectedProblem(label, error)] };
}
// Raising the priority back needs privileges; without them the worker serves at the lower one.
if (background) setPriority(priority);

if (!loaded.snapshot) {
  port.postMessage({ type: "failed", problems: loaded.problems } satisfies Started);
} else {
  const table = handlers(loaded.snapshot);
  port.on("message", (request: Request) => {
    let response: Response;
    try {
      const handler = table[request.method] as (...args: unknown[]) => unknown;
      response = { id: request.id, ok: true, value: handler(...request.args) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      response = { id: request.id, ok: false, error: { name: e.name, message: e.message } };
    }
    port.postMessage(response);
  });
  port.postMessage({
    type: "ready",
    serving: summarize(loaded.snapshot),
    durationMs: Math.round(performance.now() - started),
  } satisfies Started);
}
