/**
 * Runs INSIDE the question log's worker thread: queues what the bot sends, writes it in
 * batches, prunes old rows daily and answers /insights' summaries. Every database call blocks
 * this thread only (a lock held by another shard waits here, not on an answer).
 *
 * The connection stays open between batches, but before each one the file is looked at: when
 * it was replaced, removed or its permissions changed, the connection is opened again, so that
 * SQLite sees the file as it is now (a file made read-only is then refused as such). After any
 * failure the connection is closed and opened afresh for the retry. A batch that fails stays
 * queued (up to {@link MAX_QUEUED} rows; beyond, the oldest are dropped and counted) and is
 * retried every {@link RETRY_MS}.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { classify, describe, type LogProblem, type ProblemKind } from "./problems.js";
import type { FromLogThread, LogThreadStart, ToLogThread } from "./protocol.js";
import { loadOrCreateSecret } from "./secret.js";
import { type AskEntry, DATABASE_FILE, QuestionStore, type VoteEntry } from "./store.js";

const BATCH_DELAY_MS = 100;
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

let store: { store: QuestionStore; identity: string } | undefined;

/** Which file is there, and with what permissions ("" when there is none). */
function identity(): string {
  try {
    const { dev, ino, mode, uid } = statSync(path.join(start.dataDir, DATABASE_FILE));
    return `${dev}:${ino}:${mode}:${uid}`;
  } catch {
    return "";
  }
}

/** The open connection, opened again when the file is no longer the one it was opened on. */
function open(): QuestionStore {
  const now = identity();
  if (store && store.identity === now) return store.store;
  close();
  secret ??= loadOrCreateSecret(start.dataDir);
  const opened = QuestionStore.open(start.dataDir, { secret });
  store = { store: opened, identity: identity() };
  return opened;
}

function close(): void {
  try {
    store?.store.close();
  } catch {
    // Closing a connection to a damaged or vanished file may fail; it is dropped either way.
  }
  store = undefined;
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
    open().prune(start.keepDays);
    if (asks.length + votes.length === 0) recovered();
  } catch (error) {
    close();
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
      open().write(batch.asks, batch.votes);
      asks = asks === batch.asks ? [] : asks;
      votes = votes === batch.votes ? [] : votes;
      recovered();
    } catch (error) {
      close();
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
    case "rows":
      asks.push(...message.asks);
      votes.push(...message.votes);
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
      try {
        const summary = open().summary(message.days);
        const now = problem();
        send({ kind: "summary", id: message.id, summary, ...(now && { problem: now }) });
      } catch (error) {
        close();
        failed(error);
        send({ kind: "summary", id: message.id, problem: problem() });
      }
      break;
    }
  }
});

prune();
setInterval(prune, PRUNE_EVERY_MS).unref();
