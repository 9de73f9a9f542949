/**
 * Runs INSIDE a worker thread started for one add (`prepare-thread-client.ts` starts it): reads
 * the page and builds the article file, then posts the result and ends. Readability over a
 * hostile page of 5 MB can take half a minute; here it never holds up the bot's main thread,
 * and the thread can be stopped when it takes too long.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type AddArticleRequest, isRefusal, prepareArticle } from "./add-article.js";

/** What the thread posts once, when it is done. */
export type PrepareResult =
  | { ok: true; prepared: Awaited<ReturnType<typeof prepareArticle>> }
  | { ok: false; refusal: boolean; name: string; message: string };

const port = parentPort;
if (!port) throw new Error("prepare-thread.ts must run in a worker thread");

let result: PrepareResult;
try {
  result = { ok: true, prepared: await prepareArticle(workerData as AddArticleRequest) };
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  result = { ok: false, refusal: isRefusal(e), name: e.name, message: e.message };
}
port.postMessage(result);
