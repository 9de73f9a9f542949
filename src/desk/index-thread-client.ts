/**
 * Runs on the MAIN thread: the bot's desk, with the index held in a worker thread
 * (`index-thread.ts`). Every desk method but `reload` is forwarded to the thread as it is
 * (`sources` and `outlets` once per installed thread); the desk can be called at once, and
 * calls made while the first index loads wait for it.
 *
 * A reload starts a second thread that reads, cleans, validates and indexes the corpus while
 * the first keeps answering. Only when the new thread reports ready does one reference
 * change; calls already sent to the old thread are answered by it, then it is retired. If the
 * new thread fails, it is discarded and nothing changes. Every question is thus answered
 * entirely from the old index or entirely from the new one.
 *
 * The main thread keeps the files the serving index was built from (and its fingerprint). If
 * the thread dies, a new one is built from those files, not from the folder as it is now: a
 * crash never serves files that were added without `/reload`, and a broken file in the folder
 * cannot keep the bot down. Calls the dead thread had not answered are sent again to the new
 * one. A thread that keeps dying is restarted with a growing pause (a crash loop), and calls
 * meanwhile fail at once with {@link IndexUnavailable}, whose message front ends show. A reload
 * never needs the old thread: it compares the new thread's corpus with the kept fingerprint.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { Changes } from "../core/changes.js";
import {
  type Desk,
  forwardingDesk,
  IndexUnavailable,
  type ReloadOutcome,
  type ServingSummary,
} from "../core/desk.js";
import { CorpusError, type Problem } from "../core/problem.js";
import { threadEntry } from "../runtime.js";
import type { PackedFiles } from "./packed-files.js";
import type { Calls, Method, Request, Response, Started, WorkerStart } from "./protocol.js";

const WORKER_URL = threadEntry("index-thread", import.meta.url);
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

/**
 * The index thread's young generation, in MB (V8's default grows it to 32 MB). Building an
 * index and answering allocate quickly, so the default soon reaches its full size and keeps
 * it, committed but nearly empty, for the life of the thread: about 30 MB of the bot's memory.
 * At 8 MB, answers at 100k paragraphs take as long at the median and less at the 99th
 * percentile; at 4 MB the bot is smaller still, but the median answer at 100k takes 30% longer
 * (BENCHMARKS.md, "Memory of the bot and of the index").
 */
export const INDEX_YOUNG_GENERATION_MB = 8;

/** How a thread that keeps dying is restarted (see {@link ThreadedDeskOptions}). */
const RESTART = { firstPauseMs: 1000, maxPauseMs: 60_000, stableMs: 60_000 };

/** A call the thread had not answered when it stopped; it is sent again to the next thread. */
class ThreadStopped extends Error {
  constructor() {
    super("the index worker stopped before answering");
    this.name = "ThreadStopped";
  }
}

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
        pending.reject(new ThreadStopped());
        this.#pending.delete(id);
      }
    });
  }

  get alive(): boolean {
    return !this.#exited;
  }

  /**
   * Starts a worker and waits until its index is ready or has failed. On every way this can
   * fail (an error, an exit, the time limit) the thread is stopped before the promise rejects;
   * a thread that reports `failed` is the caller's to {@link stop}. `live` holds every thread
   * started this way until it has exited.
   */
  static spawn(
    start: WorkerStart,
    live: Set<Worker>,
  ): Promise<{ worker: IndexThread; started: Started }> {
    return new Promise((resolve, reject) => {
      const thread = new Worker(WORKER_URL, {
        workerData: start,
        resourceLimits: { maxYoungGenerationSizeMb: INDEX_YOUNG_GENERATION_MB },
      });
      live.add(thread);
      thread.once("exit", () => live.delete(thread));
      const desk = new IndexThread(thread);
      const fail = (error: Error) => {
        clearTimeout(timer);
        thread.off("message", ready);
        void thread.terminate().finally(() => reject(error));
      };
      const timer = setTimeout(
        () =>
          fail(
            new Error(
              `the index worker did not finish loading within ${START_TIMEOUT_MS / 1000} s`,
            ),
          ),
        START_TIMEOUT_MS,
      );
      const exited = (code: number) =>
        fail(new Error(`the index worker exited with code ${code} while loading`));
      const errored = (error: Error) => {
        thread.off("exit", exited);
        fail(error);
      };
      const ready = (started: Started) => {
        clearTimeout(timer);
        thread.off("error", errored);
        thread.off("exit", exited);
        desk.#listen();
        resolve({ worker: desk, started });
      };
      thread.once("error", errored);
      thread.once("exit", exited);
      thread.once("message", ready);
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

  /** Stops the worker now; calls it has not answered fail with {@link ThreadStopped}. */
  async stop(): Promise<void> {
    await this.worker.terminate();
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

/** How the desk restarts a thread that died; the defaults suit the bot, tests pass shorter. */
export interface ThreadedDeskOptions {
  /** The pause before the second restart in a row; each further one doubles it. */
  firstPauseMs?: number;
  /** The longest pause between restarts. */
  maxPauseMs?: number;
  /** A thread that served this long before dying starts the count of failures afresh. */
  stableMs?: number;
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
  /** How many index threads are running now (one; two during a reload), for status and tests. */
  liveThreads(): number;
  /** The thread serving now, if any: for diagnostics and for tests that make it crash. */
  servingThread(): Worker | undefined;
}

/**
 * Starts loading the corpus in a worker thread and returns its desk at once. A failed load is
 * reported through `ready`; calls made meanwhile fail with the same error.
 */
export function openThreadedDesk(
  seedsDir: string,
  label: string,
  log: Logger,
  options: ThreadedDeskOptions = {},
): ThreadedDesk {
  const threads = new IndexThreads({ seedsDir, label, background: false }, log, {
    ...RESTART,
    ...options,
  });
  return Object.assign(
    forwardingDesk((method, args) => threads.call(method, args as Calls[typeof method]["args"]), {
      reload: () => threads.reload(),
    }),
    {
      ready: threads.ready,
      close: () => threads.close(),
      liveThreads: () => threads.live.size,
      servingThread: () => threads.serving,
    },
  );
}

/** What the serving index was built from, kept on the main thread to rebuild it after a crash. */
interface Kept {
  files: PackedFiles;
  fingerprint: string;
  serving: ServingSummary;
}

/** The current index thread, replaced on reload or when it dies. */
class IndexThreads {
  readonly ready: Promise<ServingSummary>;
  /** Every thread started and not yet exited. */
  readonly live = new Set<Worker>();
  #current: IndexThread | undefined;
  #kept: Kept | undefined;
  /** Changes whenever a thread is installed, so that a restart overtaken by a reload gives way. */
  #generation = 0;
  #installedAt = 0;
  /** Deaths in a row (a thread that served {@link RESTART}.stableMs resets the count). */
  #failures = 0;
  #restartAt: number | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #restarting: Promise<void> | undefined;
  #reloading = false;
  #closed = false;
  readonly #recent: string[] = [];
  /** `sources` and `outlets` of the installed thread, shared by every caller (read only). */
  readonly #cache = new Map<Method, { generation: number; result: Promise<unknown> }>();

  constructor(
    private readonly start: WorkerStart,
    private readonly log: Logger,
    private readonly restart: Required<ThreadedDeskOptions>,
  ) {
    this.ready = this.#open();
    // Whoever awaits `ready` reports a failed load; until someone does, it is not unhandled.
    this.ready.catch(() => undefined);
  }

  get serving(): Worker | undefined {
    return this.#current?.alive ? this.#current.worker : undefined;
  }

  async #open(): Promise<ServingSummary> {
    const { worker, started } = await IndexThread.spawn(this.start, this.live);
    if (started.type === "failed") {
      await worker.stop();
      throw new CorpusError(started.problems);
    }
    this.log.info({ ...started.serving, durationMs: started.durationMs }, "index ready");
    this.#install(worker, started);
    return started.serving;
  }

  async call<M extends Method>(method: M, args: Calls[M]["args"]): Promise<Calls[M]["result"]> {
    if (method === "sources" || method === "outlets") {
      return this.#perIndex(method, () => this.#call(method, args)) as Promise<Calls[M]["result"]>;
    }
    return this.#call(method, args);
  }

  // What an index holds changes only when another thread is installed. Asked again of the
  // thread, a declined question would queue twice behind every question sent meanwhile. Once
  // the thread has died, the call goes through, to wait for the next or to say why there is none.
  #perIndex(method: Method, ask: () => Promise<unknown>): Promise<unknown> {
    const generation = this.#generation;
    const cached = this.#cache.get(method);
    if (cached?.generation === generation && this.#current?.alive) return cached.result;
    const result = ask();
    this.#cache.set(method, { generation, result });
    result.catch(() => {
      if (this.#cache.get(method)?.result === result) this.#cache.delete(method);
    });
    return result;
  }

  async #call<M extends Method>(method: M, args: Calls[M]["args"]): Promise<Calls[M]["result"]> {
    if (method === "answer") {
      this.#recent.push(args[0] as string);
      if (this.#recent.length > WARM_UP_QUESTIONS) this.#recent.shift();
    }
    try {
      return await (await this.#thread()).call(method, args);
    } catch (error) {
      // The thread died with this call in hand: every call is a read, so ask the next thread.
      if (!(error instanceof ThreadStopped)) throw error;
      return (await this.#thread()).call(method, args);
    }
  }

  /** The thread to call: waits for the first load, and for a restart under way. */
  async #thread(): Promise<IndexThread> {
    if (!this.#kept) await this.ready;
    if (this.#current?.alive) return this.#current;
    if (this.#restarting) await this.#restarting;
    if (this.#current?.alive) return this.#current;
    throw this.#unavailable();
  }

  #unavailable(): IndexUnavailable {
    const when =
      this.#restartAt === undefined
        ? "it is being restarted"
        : `the next restart is in ${Math.max(1, Math.ceil((this.#restartAt - Date.now()) / 1000))} s`;
    const times = this.#failures === 1 ? "once" : `${this.#failures} times in a row`;
    return new IndexUnavailable(
      `the index is unavailable: its thread stopped ${times}; ${when}`,
      this.#restartAt,
      this.#kept?.serving,
    );
  }

  /** Makes `thread` the one that serves, and keeps what it was built from. */
  #install(thread: IndexThread, started: Extract<Started, { type: "ready" }>): void {
    this.#current = thread;
    this.#kept = {
      files: started.files,
      fingerprint: started.fingerprint,
      serving: started.serving,
    };
    this.#generation++;
    this.#installedAt = Date.now();
    this.#restartAt = undefined;
    clearTimeout(this.#restartTimer);
    this.#watch(thread);
  }

  /** Replaces the current thread if it dies unexpectedly, so one crash does not end the bot. */
  #watch(thread: IndexThread): void {
    thread.worker.once("exit", (code) => {
      if (this.#closed || thread !== this.#current) return;
      this.#current = undefined;
      const stable = Date.now() - this.#installedAt >= this.restart.stableMs;
      this.#died(stable ? 1 : this.#failures + 1, `the index thread stopped (exit code ${code})`);
    });
  }

  /** Plans the next restart: at once after a first death, then after a pause that doubles. */
  #died(failures: number, reason: string): void {
    this.#failures = failures;
    const pause =
      failures <= 1
        ? 0
        : Math.min(this.restart.firstPauseMs * 2 ** (failures - 2), this.restart.maxPauseMs);
    if (pause === 0) {
      this.log.error({ failures }, `${reason}; restarting it from the snapshot it was serving`);
      this.#restartAt = undefined;
      this.#restartNow();
      return;
    }
    this.log.error(
      { failures, retryInMs: pause },
      `${reason}; ${failures} failures in a row: the index is unavailable, next restart in ${Math.ceil(pause / 1000)} s`,
    );
    this.#restartAt = Date.now() + pause;
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => this.#restartNow(), pause);
  }

  /** Builds a new thread from the kept files; on failure, counts one more death. */
  #restartNow(): void {
    const kept = this.#kept;
    if (this.#closed || !kept) return;
    this.#restartAt = undefined;
    const generation = this.#generation;
    const overtaken = () => this.#closed || generation !== this.#generation;
    const restarting = (async () => {
      let fresh: IndexThread | undefined;
      try {
        const spawned = await IndexThread.spawn({ ...this.start, files: kept.files }, this.live);
        fresh = spawned.worker;
        const { started } = spawned;
        if (started.type === "failed") {
          throw new Error(`the kept snapshot did not load (${started.problems.length} problems)`);
        }
        if (overtaken()) {
          await fresh.stop();
          return;
        }
        const changes =
          started.fingerprint === kept.fingerprint
            ? undefined
            : await fresh.call("changesSince", [kept.fingerprint]);
        if (!fresh.alive) throw new Error("the new index thread stopped while starting");
        if (overtaken()) {
          await fresh.stop();
          return;
        }
        this.#install(fresh, started);
        if (changes) {
          this.log.warn(
            { changes, ...started.serving },
            `index thread restarted, but it differs from the index it replaces: ${describeChanges(changes)}`,
          );
        } else {
          this.log.info(
            { ...started.serving, durationMs: started.durationMs },
            "index thread restarted from the snapshot it was serving",
          );
        }
      } catch (error) {
        await fresh?.stop();
        if (overtaken()) return;
        const reason = error instanceof Error ? error.message : String(error);
        this.#died(this.#failures + 1, `the index thread could not be restarted (${reason})`);
      }
    })();
    this.#restarting = restarting;
    void restarting.finally(() => {
      if (this.#restarting === restarting) this.#restarting = undefined;
    });
  }

  async reload(): Promise<ReloadOutcome> {
    const serving = await this.ready;
    const kept = this.#kept;
    if (this.#reloading || !kept) return { status: "busy", serving: kept?.serving ?? serving };
    this.#reloading = true;
    const started = performance.now();
    let next: IndexThread | undefined;
    try {
      const spawned = await IndexThread.spawn({ ...this.start, background: true }, this.live);
      next = spawned.worker;
      if (spawned.started.type === "failed") {
        await next.stop();
        return { status: "failed", problems: spawned.started.problems, serving: kept.serving };
      }
      // Compared with what was kept, not asked of the old thread: it may have died.
      const changes = await next.call("changesSince", [kept.fingerprint]);
      // Only the time matters here; a question that fails now fails again for its asker.
      await Promise.allSettled(this.#recent.map((q) => next?.call("answer", [q, {}])));
      if (this.#closed) throw new Error("the bot is shutting down");
      if (!next.alive) throw new Error("the new index thread stopped while starting");
      const previous = this.#current;
      this.#failures = 0;
      this.#install(next, spawned.started);
      if (previous?.alive) void previous.retire();
      return {
        status: "reloaded",
        changes,
        serving: spawned.started.serving,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      await next?.stop();
      return {
        status: "failed",
        problems: [workerProblem(this.start.label, error)],
        serving: this.#kept?.serving ?? kept.serving,
      };
    } finally {
      this.#reloading = false;
    }
  }

  /** Stops the thread, after the calls it already has are answered. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    await this.ready.catch(() => undefined);
    await this.#restarting?.catch(() => undefined);
    await this.#current?.retire();
    await Promise.all([...this.live].map((worker) => worker.terminate()));
  }
}

/** A reload's changes in a few words, for the log. */
function describeChanges(changes: Changes): string {
  const { articles, paragraphs } = changes;
  return (
    `articles ${articles.added.length} added, ${articles.removed.length} removed, ${articles.changed.length} changed; ` +
    `paragraphs ${paragraphs.added} added, ${paragraphs.removed} removed, ${paragraphs.changed} changed`
  );
}

function workerProblem(label: string, error: unknown): Problem {
  const reason = error instanceof Error ? error.message : String(error);
  return { file: label, line: 1, message: `reload stopped: ${reason}` };
}
