/**
 * A per-user limit on questions: at most `limit` uses in any `windowMs`. `/ask` and its
 * buttons draw from the same allowance, so clicking buttons cannot get around it.
 *
 * Memory is bounded: each user holds at most `limit` times, and at most `maxUsers` users are
 * tracked. Users are kept in order of their last use, so the idle ones are forgotten from the
 * front, a few at a time; when the map is full of users active within the window, the least
 * recently active is forgotten (the cost: that user gets a fresh allowance). No call scans the
 * whole map.
 */
export const MAX_TRACKED_USERS = 50_000;

export class Cooldown {
  /** Each user's recent use times, oldest first; users in order of last use. */
  readonly #uses = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxUsers = MAX_TRACKED_USERS,
  ) {}

  /** How many users are tracked (for tests). */
  get size(): number {
    return this.#uses.size;
  }

  /**
   * Records a use by `userId` if it is allowed. Returns 0 when allowed, otherwise the
   * milliseconds until the user may try again.
   */
  take(userId: string): number {
    const now = this.now();
    const recent = this.#uses.get(userId) ?? [];
    while (recent.length > 0 && now - (recent[0] as number) >= this.windowMs) recent.shift();
    if (recent.length >= this.limit) {
      return this.windowMs - (now - (recent[0] as number));
    }
    recent.push(now);
    // Re-inserted, so the map stays in order of last use.
    this.#uses.delete(userId);
    this.#uses.set(userId, recent);
    this.#forgetIdle(now);
    return 0;
  }

  /** Forgets users from the front (least recently active): idle ones, and any over the cap. */
  #forgetIdle(now: number): void {
    let checked = 0;
    for (const [user, times] of this.#uses) {
      const idle = now - (times[times.length - 1] ?? 0) >= this.windowMs;
      if (!idle && this.#uses.size <= this.maxUsers) break;
      this.#uses.delete(user);
      // At most a few per call: the front is where the idle users are, and each call adds one.
      if (++checked >= 4) break;
    }
  }
}
