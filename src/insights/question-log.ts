/**
 * Runs on the MAIN thread: the question log as the bot, the console and the commands see it.
 * Recording an answer or a vote posts a message to the log's worker thread and returns at
 * once; nothing here waits for the database or throws, so the log can never delay or fail an
 * answer. A database problem is logged at most once a minute, and `summary()` reports it.
 */
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import { threadEntry } from "../runtime.js";
import type { LogProblem } from "./problems.js";
import type { FromLogThread, LogThreadStart, ToLogThread } from "./protocol.js";
import type { AskEntry, LogSummary, VoteEntry } from "./store.js";

const WORKER_URL = threadEntry("log-thread", import.meta.url);
/** A summary the thread has not produced by then is reported as unavailable. */
const SUMMARY_TIMEOUT_MS = 10_000;
const FLUSH_TIMEOUT_MS = 10_000;
/** A problem that persists is logged again after this long. */
const LOG_EVERY_MS = 60_000;
/** At most this many rows wait for the next turn of the event loop; more go at once. */
const MAX_ROWS_PER_MESSAGE = 200;

/** A summary, or why there is none, with the problem the database has now, if any. */
export interface SummaryResult {
  summary?: LogSummary;
  problem?: LogProblem;
}

export interface QuestionLog {
  /** False when QUESTION_LOG=off: nothing is recorded, and answers carry no vote buttons. */
  readonly enabled: boolean;
  /** A fresh key for an answer's row (the vote buttons carry it). */
  newKey(): string;
  recordAsk(entry: AskEntry): void;
  recordVote(entry: VoteEntry): void;
  summary(days: number): Promise<SummaryResult>;
  /** Writes what is queued; resolves when written or failed (for shutdown and tests). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The log when QUESTION_LOG=off: records nothing. */
export const DISABLED_LOG: QuestionLog = Object.freeze({
  enabled: false,
  newKey: () => "",
  recordAsk: () => undefined,
  recordVote: () => undefined,
  summary: async () => ({}),
  flush: async () => undefined,
  close: async () => undefined,
});

export interface QuestionLogOptions {
  enabled: boolean;
  dataDir: string;
  keepDays: number;
}

export function openQuestionLog(options: QuestionLogOptions, log: Logger): QuestionLog {
  if (!options.enabled) return DISABLED_LOG;
  return new ThreadedQuestionLog({ dataDir: options.dataDir, keepDays: options.keepDays }, log);
}

class ThreadedQuestionLog implements QuestionLog {
  readonly enabled = true;
  readonly #worker: Worker;
  readonly #pending = new Map<number, (message: FromLogThread | undefined) => void>();
  #nextId = 1;
  #asks: AskEntry[] = [];
  #votes: VoteEntry[] = [];
  #sendScheduled = false;
  #problem: LogProblem | undefined;
  #lastLogged = new Map<string, number>();
  #stopped = false;

  constructor(
    start: LogThreadStart,
    private readonly log: Logger,
  ) {
    this.#worker = new Worker(WORKER_URL, { workerData: start });
    // The thread must not keep a finished process alive; pending calls hold it while they wait.
    this.#worker.unref();
    this.#worker.on("message", (message: FromLogThread) => this.#receive(message));
    this.#worker.on("error", (error) => {
      this.log.error(
        { err: error },
        "question log: the log thread failed; questions are no longer logged",
      );
    });
    this.#worker.on("exit", () => {
      this.#stopped = true;
      for (const [id, resolve] of this.#pending) {
        this.#pending.delete(id);
        resolve(undefined);
      }
    });
  }

  /** 12 characters, safe in a button's custom id. */
  newKey(): string {
    return randomBytes(9).toString("base64url");
  }

  recordAsk(entry: AskEntry): void {
    this.#asks.push(entry);
    this.#rowsRecorded();
  }

  recordVote(entry: VoteEntry): void {
    this.#votes.push(entry);
    this.#rowsRecorded();
  }

  // Rows go to the thread once per turn of the event loop rather than one message each: under
  // a burst of questions, each message costs the main thread a wake-up of the log thread.
  #rowsRecorded(): void {
    if (this.#asks.length + this.#votes.length >= MAX_ROWS_PER_MESSAGE) this.#sendRows();
    else if (!this.#sendScheduled) {
      this.#sendScheduled = true;
      setImmediate(() => this.#sendRows());
    }
  }

  #sendRows(): void {
    this.#sendScheduled = false;
    if (this.#asks.length + this.#votes.length === 0) return;
    const message: ToLogThread = { kind: "rows", asks: this.#asks, votes: this.#votes };
    this.#asks = [];
    this.#votes = [];
    this.#post(message);
  }

  async summary(days: number): Promise<SummaryResult> {
    const reply = await this.#call((id) => ({ kind: "summary", id, days }), SUMMARY_TIMEOUT_MS);
    if (reply?.kind === "summary") {
      return {
        ...(reply.summary && { summary: reply.summary }),
        ...(reply.problem && { problem: reply.problem }),
      };
    }
    const problem: LogProblem = this.#problem ?? {
      kind: "unavailable",
      message: "the question log did not answer in time",
      since: new Date().toISOString(),
      waiting: 0,
      dropped: 0,
    };
    return { problem };
  }

  async flush(): Promise<void> {
    await this.#call((id) => ({ kind: "flush", id }), FLUSH_TIMEOUT_MS);
  }

  async close(): Promise<void> {
    if (this.#stopped) return;
    await this.flush();
    await this.#worker.terminate();
  }

  #post(message: ToLogThread): void {
    if (this.#stopped) return;
    try {
      this.#worker.postMessage(message);
    } catch (error) {
      this.log.error({ err: error }, "question log: could not queue a row");
    }
  }

  #call(make: (id: number) => ToLogThread, timeoutMs: number): Promise<FromLogThread | undefined> {
    if (this.#stopped) return Promise.resolve(undefined);
    const id = this.#nextId++;
    this.#worker.ref();
    return new Promise<FromLogThread | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (message: FromLogThread | undefined) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        if (this.#pending.size === 0) this.#worker.unref();
        resolve(message);
      };
      this.#pending.set(id, finish);
      // What was recorded before the call is part of what it flushes or summarises.
      this.#sendRows();
      this.#post(make(id));
    });
  }

  #receive(message: FromLogThread): void {
    if (message.kind === "status") {
      this.#problem = message.problem;
      if (message.problem) {
        // Every failure, retries included (the warning below is at most once a minute).
        this.log.debug({ kind: message.problem.kind }, "a write to the question log failed");
        this.#report(message.problem);
      } else {
        this.log.info("question log: writing again");
        this.#lastLogged.clear();
      }
      return;
    }
    this.#pending.get(message.id)?.(message);
  }

  /** Logs a problem at most once a minute per kind. */
  #report(problem: LogProblem): void {
    const now = Date.now();
    const last = this.#lastLogged.get(problem.kind);
    if (last !== undefined && now - last < LOG_EVERY_MS) return;
    this.#lastLogged.set(problem.kind, now);
    const { kind, waiting, dropped } = problem;
    this.log.warn(
      { kind, waiting, dropped },
      `question log: ${problem.message}; answers are not affected`,
    );
  }
}
