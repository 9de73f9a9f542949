/**
 * A local stand-in for Discord's REST API (v10) and gateway, good enough for an unmodified
 * discord.js 14 `Client` to log in, receive interactions and answer them. The tests and the
 * benchmark both use it.
 *
 * Point the client at it with `new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } })`.
 * Everything listens on 127.0.0.1 only, every wait is bounded by a timeout, and everything the
 * bot sends (REST requests, gateway frames) is recorded for assertions.
 *
 * Behaviour that mirrors real Discord (so tests catch real bugs): the 3 s deadline for the
 * initial interaction response (10062), a second initial response (40060), message / embed /
 * component limits (50035), empty messages (50006), resumable sessions with replay of missed
 * dispatches.
 *
 * One file per concern, each saying what Discord behaviour it mirrors: `model.ts` (ids,
 * permissions, users), `gateway.ts` (sessions), `interactions.ts` (interactions and their
 * callbacks), `channel-messages.ts` (posts outside interactions), `validation.ts` (what
 * Discord rejects), `faults.ts` and `rest.ts` (routes).
 */
export type * from "./api.js";
export { adminUser, defaultUser, guildIdForShard, makeSnowflake, shardForGuild } from "./model.js";
export { startFakeDiscord } from "./rest.js";
