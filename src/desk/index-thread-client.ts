/**
 * Runs on the MAIN thread: the bot's desk, with the index held in a worker thread
 * (`index-thread.ts`). Every desk method but `reload` is forwarded to the thread as it is;
 * the desk can be called at once, and calls made while the first index loads wait for it.
 *
 * A reload starts a second thread that reads, cleans, validates and indexes the corpus while
 * the first keeps answering. Only when the new thread reports ready does one reference
 * change; calls already sent to the old thread are answered by it, then it is retired. If the
 * new thread fails, it is discarded and nothing changes. Every question is thus answered
 * entirely from the old index or entirely from the new one.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import {
  type Desk,
  forwardingDesk,
  type ReloadOutcome,
  type ServingSummary,
} from "../core/library.js";
import { CorpusError, type Problem } from "../core/problem.js";
import type { Calls, Method, Request, Response, Started, WorkerStart } from "./protocol.js";

const WORKER_URL = new URL("./index-thread-boot.mjs", import.meta.url);
/** A call the worker has not answered by then is failed, so no interaction waits for ever. */
const CALL_TIMEOUT_MS = 10_000;
/** How long a retired worker may take to finish the calls it already has. */
const RETIRE_TIMEOUT_MS = 15_000;
/** Loading a corpus of 100,000 paragraphs takes seconds; a stuck load must still end. */
const START_TIMEOUT_MS = 5 * 60_000;
/**
 * How many recent questions a reload's new worker answers before it is swapped in. A fresh
 * worker has cold code and empty caches: without this, the first questions after a reload of
 * a large corpus take several times as long as the same questions before it.
 */
const WARM_UP_QUESTIONS = 20;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One worker thread, seen from the main thread, and the calls waiting for it. */
class IndexThread {
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exited = false;

  private constructor(readonly worker: Worker) {
    worker.on("exit", () => {
      this.#exited = true;
      for (const [id, pending] of this.#pending) {
        clearTimeout(pending.timer);
        pending.reject(new Error("the index worker stopped before answering"));
        this.#pending.delete(id);
      }
    });
  }

  get alive(): boolean {
    return !this.#exited;
  }

  /** Starts a worker on a corpus folder and waits until its index is ready or has failed. */
  static spawn(start: WorkerStart): Promise<{ worker: IndexThread; started: Started }> {
    return new Promise((resolve, reject) => {
      const thread = new Worker(WORKER_URL, { workerData: start });
      const desk = new IndexThread(thread);
      const timer = setTimeout(() => {
        void thread.terminate();
        reject(
          new Error(`the index worker did not finish loading within ${START_TIMEOUT_MS / 1000} s`),
        );
      }, START_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const exited = (code: number) =>
        fail(new Error(`the index worker exited with code ${code} while loading`));
      thread.once("error", fail);
      thread.once("exit", exited);
      thread.once("message", (started: Started) => {
        clearTimeout(timer);
        thread.off("error", fail);
        thread.off("exit", exited);
        desk.#listen();
        resolve({ worker: desk, started });
      });
    });
  }

  #listen(): void {
    this.worker.on("message", (response: Response) => {
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      this.#pending.delete(response.id);
      clearTimeout(pending.timer);
      if (response.ok) pending.resolve(response.value);
      else
        pending.reject(
          Object.assign(new Error(response.error.message), { name: response.error.name }),
        );
    });
    // An uncaught error in the worker ends it; the "exit" listener fails its pending calls.
    this.worker.on("error", () => {});
  }

  call<M extends Method>(method: M, args: Calls[M]["args"]): Promise<Calls[M]["result"]> {
    if (this.#exited) return Promise.reject(new Error("the index worker has stopped"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new Error(`the index worker did not answer ${method} within ${CALL_TIMEOUT_MS / 1000} s`),
        );
      }, CALL_TIMEOUT_MS);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.worker.postMessage({ id, method, args } satisfies Request<M>);
    });
  }

  /** Stops the worker once the calls it already has are answered (or after a time limit). */
  async retire(): Promise<void> {
    const deadline = Date.now() + RETIRE_TIMEOUT_MS;
    while (this.#pending.size > 0 && Date.now() < deadline && !this.#exited) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.worker.terminate();
  }
}

/** The desk the bot uses: answers from a worker thread, callable before the index is ready. */
export interface ThreadedDesk extends Desk {
  /**
   * Resolves when the first index is ready.
   * @throws {CorpusError} with every problem when the corpus cannot be loaded
   */
  readonly ready: Promise<ServingSummary>;
  /** Stops the thread, after the calls it already has are answered. */
  close(): Promise<void>;
}

/**
 * Starts loading the corpus in a worker thread and returns its desk at once. A failed load is
 * reported through `ready`; calls made meanwhile fail with the same error.
 */
export function openThreadedDesk(seedsDir: string, label: string, log: Logger): ThreadedDesk {
  const threads = new IndexThreads({ seedsDir, label, background: false }, log);
  return Object.assign(
    forwardingDesk((method, args) => threads.call(method, args as Calls[typeof method]["args"]), {
      reload: () => threads.reload(),
    }),
    { ready: threads.ready, close: () => threads.close() },
  );
}

/** The current index thread, replaced on reload or when it dies. */
class IndexThreads {
  readonly ready: Promise<ServingSummary>;
  #current: IndexThread | undefined;
  #serving: ServingSummary | undefined;
  #reloading = false;
  #closed = false;
  #respawning: Promise<void> | undefined;
  readonly #recent: string[] = [];

  constructor(
    private readonly start: WorkerStart,
    private readonly log: Logger,
  ) {
    this.ready = this.#open();
    // Whoever awaits `ready` reports a failed load; until someone does, it is not unhandled.
    this.ready.catch(() => undefined);
  }

  async #open(): Promise<ServingSummary> {
    const { worker, started } = await IndexThread.spawn(this.start);
    if (started.type === "failed") {
      await worker.worker.terminate();
      throw new CorpusError(started.problems);
    }
    this.log.info({ ...started.serving, durationMs: started.durationMs }, "index ready");
    this.#current = worker;
    this.#serving = started.serving;
    this.#watch(worker);
    return started.serving;
  }

  async call<M extends Method>(method: M, args: Calls[M]["args"]): Promise<Calls[M]["result"]> {
    if (method === "answer") {
      this.#recent.push(args[0] as string);
      if (this.#recent.length > WARM_UP_QUESTIONS) this.#recent.shift();
    }
    return (await this.#thread()).call(method, args);
  }

  /** The thread to call: waits for the first load, and for a restart after a crash. */
  async #thread(): Promise<IndexThread> {
    if (!this.#current) await this.ready;
    if (this.#respawning) await this.#respawning;
    if (!this.#current) throw new Error("the index thread is not running");
    return this.#current;
  }

  async reload(): Promise<ReloadOutcome> {
    const serving = await this.ready;
    if (this.#reloading) return { status: "busy", serving: this.#serving ?? serving };
    this.#reloading = true;
    const started = performance.now();
    try {
      const previous = await this.#thread();
      const current = this.#serving ?? serving;
      let next: { worker: IndexThread; started: Started };
      try {
        next = await IndexThread.spawn({ ...this.start, background: true });
      } catch (error) {
        return {
          status: "failed",
          problems: [workerProblem(this.start.label, error)],
          serving: current,
        };
      }
      if (next.started.type === "failed") {
        await next.worker.worker.terminate();
        return { status: "failed", problems: next.started.problems, serving: current };
      }
      const changes = await next.worker.call("changesSince", [
        await previous.call("fingerprint", []),
      ]);
      // Only the time matters here; a question that fails now fails again for its asker.
      await Promise.allSettled(this.#recent.map((q) => next.worker.call("answer", [q, {}])));
      if (this.#closed) {
        await next.worker.worker.terminate();
        return {
          status: "failed",
          problems: [workerProblem(this.start.label, "the bot is shutting down")],
          serving: current,
        };
      }
      this.#current = next.worker;
      this.#serving = next.started.serving;
      this.#watch(next.worker);
      void previous.retire();
      return {
        status: "reloaded",
        changes,
        serving: next.started.serving,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      this.#reloading = false;
    }
  }

  /** Stops the thread, after the calls it already has are answered. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.ready.catch(() => undefined);
    await this.#current?.retire();
  }

  /** Replaces the current thread if it dies unexpectedly, so one crash does not end the bot. */
  #watch(worker: IndexThread): void {
    worker.worker.once("exit", (code) => {
      if (this.#closed || worker !== this.#current || this.#respawning) return;
      this.log.error({ code }, "index worker stopped unexpectedly; starting a new one");
      this.#respawning = IndexThread.spawn(this.start)
        .then(async ({ worker: fresh, started }) => {
          if (started.type === "failed") {
            await fresh.worker.terminate();
            this.log.error(
              { problems: started.problems.length },
              "the corpus no longer loads; questions will fail until it is fixed and reloaded",
            );
            return;
          }
          this.#current = fresh;
          this.#serving = started.serving;
          this.#watch(fresh);
        })
        .catch((error: unknown) =>
          this.log.error({ err: error }, "could not restart the index worker"),
        )
        .finally(() => {
          this.#respawning = undefined;
        });
    });
  }
}

function workerProblem(label: string, error: unknown): Problem {
  const reason = error instanceof Error ? error.message : String(error);
  return { file: label, line: 1, message: `reload stopped: ${reason}` };
}
