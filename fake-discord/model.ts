/**
 * Discord's ids and permissions, and the users who use the bot. Mirrors: snowflakes (a
 * timestamp since Discord's epoch in the high bits, so discord.js can read `createdTimestamp`),
 * which shard a guild belongs to (`(guild_id >> 22) % shard_count`), and permission bitfields
 * as Discord sends them (decimal strings).
 */
const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/**
 * Makes a Discord snowflake (17–19 digits) whose embedded timestamp is `timestampMs`, so
 * discord.js' `createdTimestamp` is meaningful. The low 22 bits carry a process-wide counter,
 * which keeps ids unique even when many are made in the same millisecond.
 */
export function makeSnowflake(timestampMs: number = Date.now()): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0x3f_ffffn;
  return (((BigInt(Math.floor(timestampMs)) - DISCORD_EPOCH) << 22n) | snowflakeCounter).toString();
}

/** The shard that receives a guild's events: `(guild_id >> 22) % shardCount`. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(Math.max(1, shardCount)));
}

/** Makes a guild id that lives on `shard` when the bot runs `shardCount` shards. */
export function guildIdForShard(shard: number, shardCount: number): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    throw new RangeError(`shard ${shard} is not in [0, ${shardCount})`);
  }
  // A month in the past, then stepped back until the timestamp part lands on the shard.
  let relative = BigInt(Date.now() - 30 * 86_400_000) - DISCORD_EPOCH;
  relative -= relative % BigInt(shardCount);
  relative += BigInt(shard);
  return makeSnowflake(Number(relative + DISCORD_EPOCH));
}

/** Permission bits used by the defaults below (values from Discord's permission table). */
const Permission = {
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** What an ordinary member can do: talk, read, react, use commands; not manage the server. */
export const DEFAULT_MEMBER_PERMISSIONS: bigint =
  Permission.AddReactions |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.UseExternalEmojis |
  Permission.Connect |
  Permission.Speak |
  Permission.ChangeNickname |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.SendMessagesInThreads;

/** What the bot is granted in the interaction's channel (`app_permissions`) unless overridden. */
export const DEFAULT_APP_PERMISSIONS: bigint =
  Permission.AddReactions |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.UseExternalEmojis |
  Permission.UseApplicationCommands |
  Permission.SendMessagesInThreads;

/** A user who triggers interactions. */
export interface FakeUser {
  id: string;
  username?: string;
  /** Becomes `member.permissions` (decimal string). Default {@link DEFAULT_MEMBER_PERMISSIONS}. */
  permissions?: bigint | string;
  roles?: string[];
  /** The user's client locale (`interaction.locale`), default "en-US". */
  locale?: string;
}

/** A member with the default permissions (no ManageGuild, no Administrator). */
export function defaultUser(id: string = makeSnowflake(), username = "summit-reader"): FakeUser {
  return { id, username, permissions: DEFAULT_MEMBER_PERMISSIONS, roles: [] };
}

/** A member with ManageGuild on top of the defaults; Administrator is deliberately not set. */
export function adminUser(id: string = makeSnowflake(), username = "summit-admin"): FakeUser {
  return {
    id,
    username,
    permissions: DEFAULT_MEMBER_PERMISSIONS | Permission.ManageGuild,
    roles: [],
  };
}
