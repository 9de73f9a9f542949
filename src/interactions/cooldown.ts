/**
 * A per-user limit on questions: at most `limit` uses in any `windowMs`. `/ask` and its
 * buttons draw from the same allowance, so clicking buttons cannot get around it.
 */
export class Cooldown {
  readonly #uses = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a use by `userId` if it is allowed. Returns 0 when allowed, otherwise the
   * milliseconds until the user may try again.
   */
  take(userId: string): number {
    const now = this.now();
    const recent = (this.#uses.get(userId) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.#uses.set(userId, recent);
      return this.windowMs - (now - (recent[0] as number));
    }
    recent.push(now);
    this.#uses.set(userId, recent);
    // Forget idle users now and then so the map does not grow with every user ever seen.
    if (this.#uses.size > 10_000) this.#forgetIdle(now);
    return 0;
  }

  #forgetIdle(now: number): void {
    for (const [user, times] of this.#uses) {
      if (times.every((t) => now - t >= this.windowMs)) this.#uses.delete(user);
    }
  }
}
