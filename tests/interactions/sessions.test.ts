/**
 * Answer sessions (what a button pages through) and the per-user cooldown under hostile use:
 * memory stays bounded, a few users cannot evict everyone else's buttons, no call scans the
 * whole map, and a session works only from the message that shows it.
 */
import { describe, expect, it } from "vitest";
import { Cooldown, MAX_TRACKED_USERS } from "../../src/interactions/cooldown.js";
import {
  AnswerSessions,
  MAX_SESSIONS,
  MAX_SESSIONS_PER_USER,
} from "../../src/interactions/sessions.js";

const session = (ownerId: string) => ({ question: "what phone did lee use", ownerId });

describe("answer sessions", () => {
  it("are honoured only from the message they were posted on", () => {
    const sessions = new AnswerSessions();
    const key = sessions.create(session("alice"));
    // Not yet posted: no message shows it, so no click can be from it.
    expect(sessions.get(key, "900000000000000001")).toEqual({ ok: false, reason: "other-message" });
    sessions.attach(key, "900000000000000001");
    sessions.attach(key, "900000000000000002"); // only the first message counts
    expect(sessions.get(key, "900000000000000001")).toMatchObject({ ok: true });
    expect(sessions.get(key, "900000000000000002")).toEqual({ ok: false, reason: "other-message" });
    expect(sessions.get("nope", "900000000000000001")).toEqual({ ok: false, reason: "expired" });
  });

  it("expire 30 minutes after their last use", () => {
    let now = 0;
    const sessions = new AnswerSessions(30 * 60_000, () => now);
    const key = sessions.create(session("alice"));
    sessions.attach(key, "m1");
    now = 29 * 60_000;
    expect(sessions.get(key, "m1").ok).toBe(true);
    now += 29 * 60_000;
    expect(sessions.get(key, "m1").ok).toBe(true);
    now += 30 * 60_000;
    expect(sessions.get(key, "m1")).toEqual({ ok: false, reason: "expired" });
  });

  it("keep everyone's buttons when one user makes 10,000 answers", () => {
    const sessions = new AnswerSessions();
    const others = Array.from({ length: 500 }, (_, i) => {
      const key = sessions.create(session(`user-${i}`));
      sessions.attach(key, `m-${i}`);
      return { key, message: `m-${i}` };
    });
    const mine: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const key = sessions.create(session("mallory"));
      sessions.attach(key, `mallory-${i}`);
      mine.push(key);
    }
    expect(sessions.size).toBe(500 + MAX_SESSIONS_PER_USER);
    for (const { key, message } of others) expect(sessions.get(key, message).ok).toBe(true);
    // Mallory keeps her most recent ones only.
    expect(sessions.get(mine.at(-1) as string, "mallory-9999").ok).toBe(true);
    expect(sessions.get(mine[0] as string, "mallory-0").ok).toBe(false);
  });

  it("stay within the total cap with 100,000 distinct users, dropping the least recently used", () => {
    const sessions = new AnswerSessions();
    const first = sessions.create(session("early-bird"));
    sessions.attach(first, "m-early");
    let kept = first;
    for (let i = 0; i < 100_000; i++) {
      const key = sessions.create(session(`user-${i}`));
      sessions.attach(key, `m-${i}`);
      // One user keeps using an answer: it is never the least recently used.
      if (i % 1000 === 0) expect(sessions.get(kept, "m-early").ok).toBe(true);
      kept = first;
    }
    expect(sessions.size).toBe(MAX_SESSIONS);
    expect(sessions.get(first, "m-early").ok).toBe(true);
    expect(sessions.get(sessions.create(session("late")), "x").ok).toBe(false);
  });

  it("bound a user's clicks on other people's answers (each click makes a private copy)", () => {
    const sessions = new AnswerSessions();
    const owner = sessions.create(session("alice"));
    sessions.attach(owner, "m-alice");
    for (let i = 0; i < 10_000; i++) sessions.attach(sessions.create(session("mallory")), `c-${i}`);
    expect(sessions.size).toBe(1 + MAX_SESSIONS_PER_USER);
    expect(sessions.get(owner, "m-alice").ok).toBe(true);
  });
});

describe("the cooldown", () => {
  it("tracks at most its cap of users with 100,000 distinct users, and still limits each", () => {
    const cooldown = new Cooldown(5, 10_000, () => 0);
    for (let i = 0; i < 100_000; i++) {
      // All within one window: none is idle, so only the cap makes room.
      expect(cooldown.take(`user-${i}`)).toBe(0);
      expect(cooldown.size).toBeLessThanOrEqual(MAX_TRACKED_USERS);
    }
    expect(cooldown.size).toBe(MAX_TRACKED_USERS);
    for (let i = 0; i < 4; i++) expect(cooldown.take("user-99999")).toBe(0);
    expect(cooldown.take("user-99999")).toBeGreaterThan(0);
  });

  it("forgets idle users as new ones arrive, without scanning them all", () => {
    let now = 0;
    const cooldown = new Cooldown(5, 10_000, () => now);
    for (let i = 0; i < 1000; i++) cooldown.take(`user-${i}`);
    now += 10_000;
    for (let i = 0; i < 1000; i++) cooldown.take(`new-${i}`);
    expect(cooldown.size).toBe(1000);
  });

  it("holds at most `limit` times for one user clicking 10,000 times", () => {
    let now = 0;
    const cooldown = new Cooldown(5, 10_000, () => now);
    let allowed = 0;
    for (let i = 0; i < 10_000; i++) {
      now += 10;
      if (cooldown.take("mallory") === 0) allowed++;
    }
    // 100 s of clicking at 5 per 10 s.
    expect(allowed).toBe(50);
    expect(cooldown.size).toBe(1);
  });
});
