/**
 * What the buttons under an answer need to remember: the question, who asked it, and the
 * outlet filter. Button custom ids hold at most 100 characters, less than a question, so
 * the question stays here and the button carries a short key.
 *
 * Sessions live in memory for {@link SESSION_TTL_MS} after their last use. A click on a button
 * whose session is gone (expired, or the bot restarted) is told so; the answer is recomputed
 * from the live index on every click, so buttons keep working after a reload.
 */
import { randomBytes } from "node:crypto";

const SESSION_TTL_MS = 30 * 60 * 1000;
const MAX_SESSIONS = 10_000;

export interface AnswerSession {
  question: string;
  outlet?: string;
  ownerId: string;
}

export class AnswerSessions {
  readonly #sessions = new Map<string, AnswerSession & { expiresAt: number }>();

  constructor(
    private readonly ttlMs = SESSION_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers a session and returns its key (8 characters, safe in a custom id). */
  create(session: AnswerSession): string {
    this.#prune();
    let key = randomBytes(6).toString("base64url");
    while (this.#sessions.has(key)) key = randomBytes(6).toString("base64url");
    this.#sessions.set(key, { ...session, expiresAt: this.now() + this.ttlMs });
    return key;
  }

  /** The session, with its lifetime extended, or undefined when it has expired or never existed. */
  get(key: string): AnswerSession | undefined {
    const entry = this.#sessions.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#sessions.delete(key);
      return undefined;
    }
    // Re-inserting keeps the map in least-recently-used order for pruning.
    this.#sessions.delete(key);
    entry.expiresAt = this.now() + this.ttlMs;
    this.#sessions.set(key, entry);
    const { expiresAt: _, ...session } = entry;
    return session;
  }

  #prune(): void {
    const now = this.now();
    for (const [key, entry] of this.#sessions) {
      // The map is in last-use order, so the first live entry ends the expired run.
      if (entry.expiresAt > now && this.#sessions.size < MAX_SESSIONS) break;
      this.#sessions.delete(key);
    }
  }
}
