/**
 * What the buttons under an answer need to remember: the question, who asked it, the outlet
 * filter, and the message the buttons are on. Button custom ids hold at most 100 characters,
 * less than a question, so the question stays here and the button carries a short key.
 *
 * Each session is tied to the one message that shows its buttons ({@link attach}, done by the
 * front end once the message is posted) and a click is honoured only from that message: a key
 * copied into another message's button does nothing.
 *
 * Sessions live in memory for {@link SESSION_TTL_MS} after their last use, and memory stays
 * bounded whatever users do: at most {@link MAX_SESSIONS_PER_USER} per user (a user's new
 * answer retires that user's least recently used one, never anyone else's) and
 * {@link MAX_SESSIONS} in all (the least recently used go first). Every operation touches a
 * bounded number of entries; nothing scans the whole map. A click on a button whose session is
 * gone (expired, retired, or the bot restarted) is told so; the answer is recomputed from the
 * live index on every click, so buttons keep working after a reload.
 */
import { randomBytes } from "node:crypto";

const SESSION_TTL_MS = 30 * 60 * 1000;
export const MAX_SESSIONS = 10_000;
export const MAX_SESSIONS_PER_USER = 25;

export interface AnswerSession {
  question: string;
  outlet?: string;
  ownerId: string;
  /** The question log's key for the answer, which its vote buttons carry. */
  askKey?: string;
}

interface Entry extends AnswerSession {
  expiresAt: number;
  /** The message showing this session's buttons, once the front end has posted it. */
  messageId?: string;
}

/** What a click finds: the session, or why there is none for that button on that message. */
export type SessionLookup =
  | { ok: true; session: AnswerSession }
  | { ok: false; reason: "expired" | "other-message" };

export class AnswerSessions {
  /** Every session, least recently used first. */
  readonly #sessions = new Map<string, Entry>();
  /** Each user's sessions' keys, least recently used first. */
  readonly #byUser = new Map<string, Set<string>>();

  constructor(
    private readonly ttlMs = SESSION_TTL_MS,
    private readonly now: () => number = Date.now,
    private readonly limits = { total: MAX_SESSIONS, perUser: MAX_SESSIONS_PER_USER },
  ) {}

  /** How many sessions are held (for tests and the status line). */
  get size(): number {
    return this.#sessions.size;
  }

  /** Remembers a session and returns its key (8 characters, safe in a custom id). */
  create(session: AnswerSession): string {
    this.#pruneExpired();
    const mine = this.#byUser.get(session.ownerId) ?? new Set<string>();
    while (mine.size >= this.limits.perUser) {
      const oldest = mine.values().next().value as string;
      this.#delete(oldest);
    }
    while (this.#sessions.size >= this.limits.total) {
      const oldest = this.#sessions.keys().next().value as string;
      this.#delete(oldest);
    }
    let key = randomBytes(6).toString("base64url");
    while (this.#sessions.has(key)) key = randomBytes(6).toString("base64url");
    this.#sessions.set(key, { ...session, expiresAt: this.now() + this.ttlMs });
    mine.add(key);
    this.#byUser.set(session.ownerId, mine);
    return key;
  }

  /** Ties a session to the message that shows its buttons; only the first message counts. */
  attach(key: string, messageId: string): void {
    const entry = this.#sessions.get(key);
    if (entry && entry.messageId === undefined) entry.messageId = messageId;
  }

  /**
   * The session of a button clicked on message `messageId`, with its lifetime extended; or
   * why not: it expired (or never existed), or the button is not on the session's message.
   */
  get(key: string, messageId: string): SessionLookup {
    const entry = this.#sessions.get(key);
    if (!entry) return { ok: false, reason: "expired" };
    if (entry.expiresAt <= this.now()) {
      this.#delete(key);
      return { ok: false, reason: "expired" };
    }
    if (entry.messageId !== messageId) return { ok: false, reason: "other-message" };
    // Re-inserting keeps both orders least recently used first.
    this.#sessions.delete(key);
    this.#sessions.set(key, entry);
    const mine = this.#byUser.get(entry.ownerId);
    mine?.delete(key);
    mine?.add(key);
    entry.expiresAt = this.now() + this.ttlMs;
    const { expiresAt: _, messageId: __, ...session } = entry;
    return { ok: true, session };
  }

  #delete(key: string): void {
    const entry = this.#sessions.get(key);
    if (!entry) return;
    this.#sessions.delete(key);
    const mine = this.#byUser.get(entry.ownerId);
    mine?.delete(key);
    if (mine?.size === 0) this.#byUser.delete(entry.ownerId);
  }

  /** Drops expired sessions from the front of the map: it is in last-use order, so they lead. */
  #pruneExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.#sessions) {
      if (entry.expiresAt > now) break;
      this.#delete(key);
    }
  }
}
