/**
 * Runs on the MAIN thread: prepares an article (fetch, Readability, the file's text) in a worker
 * thread of its own (`prepare-thread.ts`), so that a large or hostile page never stalls the
 * bot's gateway connection or its other interactions, and stops that thread when it takes
 * longer than the time allowed.
 */
import { Worker } from "node:worker_threads";
import { threadEntry } from "../runtime.js";
import { AddArticleError, type AddArticleRequest, type PreparedArticle } from "./add-article.js";
import type { PrepareResult } from "./prepare-thread.js";

const WORKER_URL = threadEntry("prepare-thread", import.meta.url);

/**
 * Reading a page: the fetch's own 15 s, and Readability, which takes about a second on a
 * well-formed 5 MB page but far longer on a page built to be slow.
 */
export const PREPARE_TIMEOUT_MS = 60_000;

/**
 * The thread's own heap limit: a page that needs more is refused, rather than the bot's whole
 * process running out of memory. Reading a well-formed 5 MB page holds about 100 MB.
 */
const PREPARE_HEAP_MB = 1024;

/**
 * Prepares the article in a worker thread. `request.fetch` must be plain data (no resolver
 * function), as it is copied to the thread.
 *
 * @throws {AddArticleError} for every refusal (the message is the admin's), and a plain
 *   `Error` for a fault
 */
export function prepareInThread(
  request: AddArticleRequest,
  timeoutMs = PREPARE_TIMEOUT_MS,
): Promise<PreparedArticle> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      workerData: request,
      resourceLimits: { maxOldGenerationSizeMb: PREPARE_HEAP_MB },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new AddArticleError(
              `reading the page took longer than ${timeoutMs / 1000} s; save the page and add the file with npm run add-article`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.once("message", (result: PrepareResult) =>
      settle(() => {
        if (result.ok) resolve(result.prepared);
        else if (result.refusal) reject(new AddArticleError(result.message));
        else reject(new Error(`preparing the article failed: ${result.name}: ${result.message}`));
      }),
    );
    worker.once("error", (error: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new AddArticleError(
                `the page needed more than ${PREPARE_HEAP_MB} MB of memory to read; save the page and add the file with npm run add-article`,
              )
            : error,
        ),
      ),
    );
    worker.once("exit", (code) =>
      settle(() => reject(new Error(`the article thread exited with code ${code}`))),
    );
  });
}
