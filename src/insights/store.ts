/**
 * The question log's database: one SQLite file in DATA_DIR (WAL mode, so that several shards
 * write to it and readers never block writers), its schema migrated on open. Synchronous
 * (better-sqlite3): the bot calls it only from its own worker thread (`log-thread.ts`), never
 * on an answer's path; the `insights` script calls it directly.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations.js";
import { loadOrCreateSecret, userHash } from "./secret.js";

export const DATABASE_FILE = "questions.sqlite";

/** How an answer came to be computed: the command (on Discord or in the console), or a button. */
export type AskVia = "ask" | "button";

/** One computed answer, as the bot knows it (the user id is hashed when stored). */
export interface AskEntry {
  /** Random, unique: the vote buttons under the answer carry it. */
  key: string;
  /** Milliseconds since the epoch. */
  at: number;
  guildId?: string;
  userId: string;
  question: string;
  outlet?: string;
  via: AskVia;
  answered: boolean;
  /** Why it was declined (the core's decline reason). */
  reason?: string;
  /** The top passage: its article's slug and paragraph (1-based), and the confidence in it. */
  slug?: string;
  paragraph?: number;
  confidence?: number;
}

export interface VoteEntry {
  askKey: string;
  userId: string;
  helpful: boolean;
  at: number;
}

/** What the log says about a period: counts, declined questions, answers voted down. */
export interface LogSummary {
  days: number;
  /** Start of the period, as an ISO time. */
  since: string;
  /** Questions asked with /ask (buttons that recompute an answer are not counted again). */
  asked: number;
  answered: number;
  votes: { helpful: number; notHelpful: number };
  /** Declined questions, the same text (ignoring case) counted once, most frequent first. */
  declined: Array<{ question: string; count: number }>;
  /** Answers with Not helpful votes, most first, with the passage they gave. */
  notHelpful: Array<{
    question: string;
    outlet?: string;
    slug?: string;
    paragraph?: number;
    notHelpful: number;
    helpful: number;
  }>;
}

/** How many distinct declined questions a summary reads at most. */
const MAX_DECLINED = 2000;
const MAX_NOT_HELPFUL = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The decline that is the user's mistake rather than a gap in the articles. */
const NOT_A_GAP = "unknown-outlet";

export interface StoreOptions {
  /** The hashing key, when the caller has already read it. */
  secret?: Buffer;
  /** Waiting for another shard's write lock before giving up, in milliseconds. */
  busyTimeoutMs?: number;
}

export class QuestionStore {
  private constructor(
    readonly db: Database.Database,
    private readonly secret: Buffer,
  ) {}

  /** Opens (creating when needed) the folder, the key and the database, and migrates it. */
  static open(dataDir: string, options: StoreOptions = {}): QuestionStore {
    mkdirSync(dataDir, { recursive: true });
    const secret = options.secret ?? loadOrCreateSecret(dataDir);
    const db = new Database(path.join(dataDir, DATABASE_FILE), {
      timeout: options.busyTimeoutMs ?? 5000,
    });
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      migrate(db);
      return new QuestionStore(db, secret);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Stores answers and votes in one transaction; a vote replaces the same user's earlier one. */
  write(asks: readonly AskEntry[], votes: readonly VoteEntry[]): void {
    const insertAsk = this.db.prepare(
      `INSERT OR IGNORE INTO asks
         (key, at, guild, user_hash, question, outlet, via, answered, reason, slug, paragraph, confidence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const upsertVote = this.db.prepare(
      `INSERT INTO votes (ask_key, user_hash, helpful, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (ask_key, user_hash) DO UPDATE SET helpful = excluded.helpful, at = excluded.at`,
    );
    this.db
      .transaction(() => {
        for (const a of asks) {
          insertAsk.run(
            a.key,
            a.at,
            a.guildId ?? null,
            userHash(this.secret, a.userId),
            a.question,
            a.outlet ?? null,
            a.via,
            a.answered ? 1 : 0,
            a.reason ?? null,
            a.slug ?? null,
            a.paragraph ?? null,
            a.confidence ?? null,
          );
        }
        for (const v of votes) {
          upsertVote.run(v.askKey, userHash(this.secret, v.userId), v.helpful ? 1 : 0, v.at);
        }
      })
      .immediate();
  }

  /** Deletes answers and votes older than `days`; returns how many rows went. */
  prune(days: number, now = Date.now()): { asks: number; votes: number } {
    const before = now - days * DAY_MS;
    return this.db
      .transaction(() => ({
        asks: this.db.prepare("DELETE FROM asks WHERE at < ?").run(before).changes,
        votes: this.db.prepare("DELETE FROM votes WHERE at < ?").run(before).changes,
      }))
      .immediate();
  }

  /** Row counts, for tests and the soak. */
  counts(): { asks: number; votes: number } {
    const count = (table: string) =>
      (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { asks: count("asks"), votes: count("votes") };
  }

  summary(days: number, now = Date.now()): LogSummary {
    const since = now - days * DAY_MS;
    const totals = this.db
      .prepare(
        `SELECT count(*) AS asked, coalesce(sum(answered), 0) AS answered
           FROM asks WHERE via = 'ask' AND at >= ?`,
      )
      .get(since) as { asked: number; answered: number };
    const votes = this.db
      .prepare(
        `SELECT coalesce(sum(helpful), 0) AS helpful, coalesce(sum(1 - helpful), 0) AS notHelpful
           FROM votes WHERE at >= ?`,
      )
      .get(since) as { helpful: number; notHelpful: number };
    const declined = this.db
      .prepare(
        `SELECT min(question) AS question, count(*) AS count FROM asks
          WHERE via = 'ask' AND answered = 0 AND coalesce(reason, '') <> ? AND at >= ?
          GROUP BY lower(trim(question)) ORDER BY count DESC, max(at) DESC LIMIT ?`,
      )
      .all(NOT_A_GAP, since, MAX_DECLINED) as Array<{ question: string; count: number }>;
    const voted = this.db
      .prepare(
        `SELECT a.question, a.outlet, a.slug, a.paragraph,
                sum(1 - v.helpful) AS notHelpful, sum(v.helpful) AS helpful
           FROM votes v JOIN asks a ON a.key = v.ask_key
          WHERE v.at >= ?
          GROUP BY v.ask_key HAVING notHelpful > 0
          ORDER BY notHelpful DESC, helpful ASC, max(v.at) DESC LIMIT ?`,
      )
      .all(since, MAX_NOT_HELPFUL) as Array<{
      question: string;
      outlet: string | null;
      slug: string | null;
      paragraph: number | null;
      notHelpful: number;
      helpful: number;
    }>;
    return {
      days,
      since: new Date(since).toISOString(),
      asked: totals.asked,
      answered: totals.answered,
      votes,
      declined,
      notHelpful: voted.map((v) => ({
        question: v.question,
        ...(v.outlet !== null && { outlet: v.outlet }),
        ...(v.slug !== null && { slug: v.slug }),
        ...(v.paragraph !== null && { paragraph: v.paragraph }),
        notHelpful: v.notHelpful,
        helpful: v.helpful,
      })),
    };
  }

  close(): void {
    this.db.close();
  }
}
