/**
 * Runs INSIDE the question log's worker thread: queues what the bot sends, writes it in
 * batches, prunes old rows daily and answers /insights' summaries. Every database call blocks
 * this thread only (a lock held by another shard waits here, not on an answer).
 *
 * Each batch opens the database, writes in one transaction and closes it again, so a file
 * whose permissions changed, that was replaced or restored, is seen at the next write. A batch
 * that fails stays queued (up to {@link MAX_QUEUED} rows; beyond, the oldest are dropped and
 * counted) and is retried every {@link RETRY_MS}.
 */
import { parentPort, workerData } from "node:worker_threads";
import { classify, describe, type LogProblem, type ProblemKind } from "./problems.js";
import type { FromLogThread, LogThreadStart, ToLogThread } from "./protocol.js";
import { loadOrCreateSecret } from "./secret.js";
import { type AskEntry, QuestionStore, type VoteEntry } from "./store.js";

const BATCH_DELAY_MS = 25;
const RETRY_MS = 1000;
const MAX_QUEUED = 20_000;
const PRUNE_EVERY_MS = 24 * 60 * 60 * 1000;

const start = workerData as LogThreadStart;
const port = parentPort;
if (!port) throw new Error("log-thread.ts runs in a worker thread");

let asks: AskEntry[] = [];
let votes: VoteEntry[] = [];
/** The current problem's kind and start, and the rows dropped since. */
let trouble: { kind: ProblemKind; since: string; dropped: number } | undefined;
let timer: NodeJS.Timeout | undefined;
let secret: Buffer | undefined;
let waiting: number[] = [];

const send = (message: FromLogThread) => port.postMessage(message);

function problem(): LogProblem | undefined {
  if (!trouble) return undefined;
  return {
    kind: trouble.kind,
    message: describe(trouble.kind),
    since: trouble.since,
    waiting: asks.length + votes.length,
    dropped: trouble.dropped,
  };
}

function open(): QuestionStore {
  secret ??= loadOrCreateSecret(start.dataDir);
  return QuestionStore.open(start.dataDir, { secret });
}

function failed(error: unknown): void {
  const kind = classify(error);
  if (trouble?.kind !== kind) {
    trouble = { kind, since: new Date().toISOString(), dropped: trouble?.dropped ?? 0 };
  }
  // Sent on every failure; the main thread logs it at most once a minute.
  send({ kind: "status", problem: problem() });
}

function recovered(): void {
  if (!trouble) return;
  trouble = undefined;
  send({ kind: "status" });
}

/** Opens the database (applying migrations) at start-up, and prunes it. */
function prune(): void {
  try {
    const store = open();
    try {
      store.prune(start.keepDays);
    } finally {
      store.close();
    }
    if (asks.length + votes.length === 0) recovered();
  } catch (error) {
    failed(error);
  }
}

function flush(): void {
  timer = undefined;
  const done = waiting;
  waiting = [];
  if (asks.length + votes.length > 0) {
    const batch = { asks, votes };
    try {
      const store = open();
      try {
        store.write(batch.asks, batch.votes);
      } finally {
        store.close();
      }
      asks = asks === batch.asks ? [] : asks;
      votes = votes === batch.votes ? [] : votes;
      recovered();
    } catch (error) {
      failed(error);
      schedule(RETRY_MS);
    }
  }
  for (const id of done) send({ kind: "flushed", id });
}

function schedule(ms: number): void {
  if (timer === undefined) timer = setTimeout(flush, ms);
}

/** Keeps the queue bounded: the oldest rows go, and are counted as not logged. */
function bound(): void {
  const over = asks.length + votes.length - MAX_QUEUED;
  if (over <= 0) return;
  const fromAsks = Math.min(over, asks.length);
  asks = asks.slice(fromAsks);
  votes = votes.slice(over - fromAsks);
  if (trouble) trouble.dropped += over;
}

port.on("message", (message: ToLogThread) => {
  switch (message.kind) {
    case "ask":
      asks.push(message.entry);
      bound();
      schedule(trouble ? RETRY_MS : BATCH_DELAY_MS);
      break;
    case "vote":
      votes.push(message.entry);
      bound();
      schedule(trouble ? RETRY_MS : BATCH_DELAY_MS);
      break;
    case "flush":
      waiting.push(message.id);
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      flush();
      break;
    case "summary": {
      // What was recorded before the question is part of the answer.
      if (timer !== undefined && !trouble) {
        clearTimeout(timer);
        flush();
      }
      let store: QuestionStore | undefined;
      try {
        store = open();
        const summary = store.summary(message.days);
        const now = problem();
        send({ kind: "summary", id: message.id, summary, ...(now && { problem: now }) });
      } catch (error) {
        failed(error);
        send({ kind: "summary", id: message.id, problem: problem() });
      } finally {
        store?.close();
      }
      break;
    }
  }
});

prune();
setInterval(prune, PRUNE_EVERY_MS).unref();
