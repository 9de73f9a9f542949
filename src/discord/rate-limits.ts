/**
 * When a rate-limited reply is worth waiting for. discord.js waits out every 429 and tries
 * again, without limit; for a reply that is not always right:
 *
 * - The interaction callback must reach Discord within 3 s of the interaction; after that
 *   Discord refuses it (10062) whatever the wait. A 429 whose wait ends past that deadline is
 *   given up at once, so that the reply can go another way (`late-reply.ts`).
 * - Edits and follow-ups use the interaction's webhook, valid for 15 minutes. A member is
 *   watching "thinking…" meanwhile: waits up to {@link WEBHOOK_WAIT_MAX_MS} are waited out,
 *   longer ones given up.
 * - A late reply posted in the channel is held to the same bound.
 *
 * Other routes keep discord.js's behaviour.
 */
import {
  DiscordAPIError,
  type RateLimitData,
  RateLimitError,
  RESTJSONErrorCodes,
  SnowflakeUtil,
} from "discord.js";

/** Discord refuses an initial response later than this after the interaction was created. */
const INTERACTION_DEADLINE_MS = 3000;
/** The longest wait for an edit, a follow-up or a channel message before giving up on it. */
export const WEBHOOK_WAIT_MAX_MS = 30_000;

const WAITED_ROUTES = ["/webhooks/:id/:token", "/channels/:id/messages"];

/**
 * For discord.js's `rest.rejectOnRateLimit`: true to give up a rate-limited request at once
 * (it then rejects with a {@link RateLimitError}), false to wait and try again.
 */
export function giveUpOnRateLimit(limit: RateLimitData, now: number = Date.now()): boolean {
  if (limit.route === "/interactions/:id/:token/callback") {
    const id = /\/interactions\/(\d{17,19})\//.exec(limit.url)?.[1];
    if (id === undefined) return true;
    const left = SnowflakeUtil.timestampFrom(id) + INTERACTION_DEADLINE_MS - now;
    return limit.retryAfter >= left;
  }
  if (WAITED_ROUTES.some((route) => limit.route.startsWith(route))) {
    return limit.retryAfter > WEBHOOK_WAIT_MAX_MS;
  }
  return false;
}

/**
 * Whether a failed response means Discord never took it and never will: given up on a rate
 * limit, or refused as too late (10062 Unknown interaction). Such a reply may go another way
 * without showing twice. Any other failure may have been delivered, or may be a bug: it is
 * not sent again.
 */
export function neverDelivered(error: unknown): boolean {
  if (error instanceof RateLimitError) return true;
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction;
}
