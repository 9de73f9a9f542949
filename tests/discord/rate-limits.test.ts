/**
 * Which rate-limited requests the bot waits for and which it gives up at once, so that the
 * reply can go another way (`src/discord/late-reply.ts`).
 */
import { DiscordAPIError, type RateLimitData, RateLimitError, SnowflakeUtil } from "discord.js";
import { describe, expect, it } from "vitest";
import {
  giveUpOnRateLimit,
  neverDelivered,
  WEBHOOK_WAIT_MAX_MS,
} from "../../src/discord/rate-limits.js";

const NOW = Date.parse("2026-01-06T12:00:00Z");
const API = "https://discord.com/api/v10";

function limited(route: string, url: string, retryAfter: number): RateLimitData {
  return {
    global: false,
    hash: "Global(POST:/interactions/:id/:token/callback)",
    limit: Number.POSITIVE_INFINITY,
    majorParameter: "burst",
    method: "POST",
    retryAfter,
    route,
    scope: "user",
    sublimitTimeout: 0,
    timeToReset: retryAfter,
    url,
  };
}

/** A callback for an interaction that Discord created `ageMs` before {@link NOW}. */
function callback(ageMs: number, retryAfter: number): RateLimitData {
  const id = SnowflakeUtil.generate({ timestamp: NOW - ageMs }).toString();
  return limited(
    "/interactions/:id/:token/callback",
    `${API}/interactions/${id}/aW50ZXJhY3Rpb24/callback?with_response=true`,
    retryAfter,
  );
}

describe("giveUpOnRateLimit", () => {
  it("waits for a callback whose retry still falls within Discord's 3 s", () => {
    expect(giveUpOnRateLimit(callback(100, 1050), NOW)).toBe(false);
  });

  it("gives up a callback whose retry would come after the deadline", () => {
    expect(giveUpOnRateLimit(callback(100, 5050), NOW)).toBe(true);
    expect(giveUpOnRateLimit(callback(2500, 1050), NOW)).toBe(true);
  });

  it("waits for an edit, a follow-up or a channel message up to the bound, and no longer", () => {
    const routes = [
      ["/webhooks/:id/:token/messages/@original", "PATCH"],
      ["/webhooks/:id/:token", "POST"],
      ["/channels/:id/messages", "POST"],
    ];
    for (const [route] of routes) {
      const url = `${API}${route}`;
      expect(giveUpOnRateLimit(limited(route as string, url, 1050), NOW)).toBe(false);
      expect(giveUpOnRateLimit(limited(route as string, url, WEBHOOK_WAIT_MAX_MS), NOW)).toBe(
        false,
      );
      expect(giveUpOnRateLimit(limited(route as string, url, WEBHOOK_WAIT_MAX_MS + 1), NOW)).toBe(
        true,
      );
    }
  });

  it("leaves every other route to discord.js, however long the wait", () => {
    const route = "/applications/:id/commands";
    expect(giveUpOnRateLimit(limited(route, `${API}${route}`, 600_000), NOW)).toBe(false);
  });
});

describe("neverDelivered", () => {
  const refused = (code: number, message: string) =>
    new DiscordAPIError(
      { code, message },
      code,
      400,
      "POST",
      `${API}/interactions/1/t/callback`,
      {},
    );

  it("is true for a rate limit given up or a response refused as too late (10062)", () => {
    expect(neverDelivered(new RateLimitError(callback(100, 5050)))).toBe(true);
    expect(neverDelivered(refused(10062, "Unknown interaction"))).toBe(true);
  });

  it("is false for failures after which the reply may have been shown", () => {
    expect(neverDelivered(refused(40060, "Interaction has already been acknowledged."))).toBe(
      false,
    );
    expect(neverDelivered(new Error("socket hang up"))).toBe(false);
  });
});
