/**
 * The bot's desk: the same {@link Desk} interface as the in-process library, with the index
 * held in a worker thread.
 *
 * A reload starts a second worker that reads, cleans, validates and indexes the corpus while
 * the first keeps answering. Only when the new worker reports ready does one reference
 * change; calls already sent to the old worker are answered by it, then it is retired. If the
 * new worker fails, it is discarded and nothing changes. Every question is thus answered
 * entirely from the old index or entirely from the new one.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { Answer, AnswerOptions, AnswerResult } from "../core/answer.js";
import type { Desk, ReloadOutcome, ServingSummary, Sources } from "../core/library.js";
import { CorpusError, type Problem } from "../core/problem.js";
import type { Calls, Method, Request, Response, Started, WorkerStart } from "./protocol.js";

const WORKER_URL = new URL("./desk-worker-boot.mjs", import.meta.url);
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

/** One worker thread and the calls waiting for it. */
class DeskWorker {
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
  static spawn(start: WorkerStart): Promise<{ worker: DeskWorker; started: Started }> {
    return new Promise((resolve, reject) => {
      const thread = new Worker(WORKER_URL, { workerData: start });
      const desk = new DeskWorker(thread);
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

export class WorkerDesk implements Desk {
  #current: DeskWorker;
  #serving: ServingSummary;
  #reloading = false;
  #closed = false;
  #respawning: Promise<void> | undefined;
  readonly #recent: string[] = [];

  private constructor(
    private readonly start: WorkerStart,
    private readonly log: Logger,
    worker: DeskWorker,
    serving: ServingSummary,
  ) {
    this.#current = worker;
    this.#serving = serving;
    this.#watch(worker);
  }

  /**
   * Loads the corpus in a worker.
   * @throws {CorpusError} with every problem when the corpus cannot be loaded
   */
  static async open(seedsDir: string, label: string, log: Logger): Promise<WorkerDesk> {
    const start: WorkerStart = { seedsDir, label, background: false };
    const { worker, started } = await DeskWorker.spawn(start);
    if (started.type === "failed") {
      await worker.worker.terminate();
      throw new CorpusError(started.problems);
    }
    log.info({ ...started.serving, durationMs: started.durationMs }, "index ready");
    return new WorkerDesk(start, log, worker, started.serving);
  }

  answer(question: string, options: AnswerOptions = {}): Promise<Answer> {
    this.#recent.push(question);
    if (this.#recent.length > WARM_UP_QUESTIONS) this.#recent.shift();
    return this.#call("answer", [question, options]);
  }

  answerByOutlet(question: string): Promise<AnswerResult[]> {
    return this.#call("answerByOutlet", [question]);
  }

  suggest(input: string): Promise<string[]> {
    return this.#call("suggest", [input]);
  }

  sources(): Promise<Sources> {
    return this.#call("sources", []);
  }

  outlets(): Promise<string[]> {
    return this.#call("outlets", []);
  }

  async reload(): Promise<ReloadOutcome> {
    if (this.#reloading) return { status: "busy", serving: this.#serving };
    this.#reloading = true;
    const started = performance.now();
    try {
      let next: { worker: DeskWorker; started: Started };
      try {
        next = await DeskWorker.spawn({ ...this.start, background: true });
      } catch (error) {
        return {
          status: "failed",
          problems: [workerProblem(this.start.label, error)],
          serving: this.#serving,
        };
      }
      if (next.started.type === "failed") {
        await next.worker.worker.terminate();
        return { status: "failed", problems: next.started.problems, serving: this.#serving };
      }
      const previous = this.#current;
      const changes = await next.worker.call("compare", [await previous.call("fingerprint", [])]);
      // Only the time matters here; a question that fails now fails again for its asker.
      await Promise.allSettled(this.#recent.map((q) => next.worker.call("answer", [q, {}])));
      if (this.#closed) {
        await next.worker.worker.terminate();
        return {
          status: "failed",
          problems: [workerProblem(this.start.label, "the bot is shutting down")],
          serving: this.#serving,
        };
      }
      this.#current = next.worker;
      this.#serving = next.started.serving;
      this.#watch(next.worker);
      void previous.retire();
      return {
        status: "reloaded",
        changes,
        serving: this.#serving,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      this.#reloading = false;
    }
  }

  /** Stops the worker, after the calls it already has are answered. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#current.retire();
  }

  async #call<M extends Method>(method: M, args: Calls[M]["args"]): Promise<Calls[M]["result"]> {
    if (this.#respawning) await this.#respawning;
    return this.#current.call(method, args);
  }

  /** Replaces the current worker if it dies unexpectedly, so one crash does not end the bot. */
  #watch(worker: DeskWorker): void {
    worker.worker.once("exit", (code) => {
      if (this.#closed || worker !== this.#current || this.#respawning) return;
      this.log.error({ code }, "index worker stopped unexpectedly; starting a new one");
      this.#respawning = DeskWorker.spawn(this.start)
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
