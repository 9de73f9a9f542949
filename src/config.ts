/**
 * Configuration: the whole environment validated once, at start-up. Every problem is reported
 * at once, naming keys but never their values (a value may be a secret). Blank values count as
 * unset. Nothing else in the program reads `process.env`.
 */
import path from "node:path";
import { z } from "zod";

const SNOWFLAKE = /^\d{17,20}$/;

const blankAsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

const idList = z.preprocess(
  blankAsUnset,
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    )
    .refine((ids) => ids.every((id) => SNOWFLAKE.test(id)), {
      error: "must be a comma-separated list of Discord ids (17–20 digits)",
    }),
);

const positiveInt = (fallback: number, max: number) =>
  z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: "must be a whole number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be at least 1" })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

const schema = z.object({
  DISCORD_TOKEN: optional(
    z.string().regex(/^[\w.-]{20,200}$/, { error: "does not look like a bot token" }),
  ),
  DISCORD_APPLICATION_ID: optional(z.string().regex(SNOWFLAKE, { error: "must be a Discord id" })),
  DISCORD_GUILD_ID: optional(z.string().regex(SNOWFLAKE, { error: "must be a Discord id" })),
  DISCORD_API_URL: optional(
    z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .refine((url) => !/\/v\d+\/?$/.test(url), {
        error:
          "must not end with the API version: use e.g. http://127.0.0.1:3000/api, not …/api/v10",
      })
      .transform((url) => url.replace(/\/+$/, "")),
  ),
  SEEDS_DIR: z.preprocess(blankAsUnset, z.string().default("seeds")),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "must be one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
  ),
  ADMIN_USER_IDS: idList,
  ADMIN_ROLE_IDS: idList,
  ASK_RATE_LIMIT: positiveInt(5, 1000),
  ASK_RATE_WINDOW_SECONDS: positiveInt(10, 3600),
  // Not SHARD_COUNT: discord.js's ShardingManager sets that for the processes it starts.
  DISCORD_SHARDS: z.preprocess(
    blankAsUnset,
    z
      .union([z.literal("auto"), z.coerce.number().int().min(1).max(1000)], {
        error: 'must be "auto" or a number of shards',
      })
      .optional(),
  ),
  // For tests only: lets add-article fetch pages served on 127.0.0.1 or ::1.
  ADD_ARTICLE_ALLOW_LOOPBACK: z.preprocess(
    blankAsUnset,
    z.enum(["true", "false"], { error: 'must be "true" or "false"' }).default("false"),
  ),
  // Set by discord.js in the processes its ShardingManager starts.
  SHARDING_MANAGER: z.preprocess(blankAsUnset, z.string().optional()),
});

type Parsed = z.infer<typeof schema>;

/** The validated configuration. */
export interface Config {
  discord: {
    token?: string;
    applicationId?: string;
    guildId?: string;
    /** REST API base without the version, e.g. `http://127.0.0.1:3000/api`; unset means Discord. */
    apiUrl?: string;
    /** How many shards to run; unset means one process, one shard. */
    shardCount?: number | "auto";
    /** This process is one shard started by the ShardingManager. */
    isShardProcess: boolean;
  };
  /** Absolute path of the corpus folder. */
  seedsDir: string;
  logLevel: Parsed["LOG_LEVEL"];
  admins: { userIds: string[]; roleIds: string[] };
  askRateLimit: { limit: number; windowMs: number };
  /** Fetching pages for add-article; loopback addresses are allowed in tests only. */
  addArticle: { allowLoopback: boolean };
}

/** Thrown when the environment is invalid; `problems` name keys, never values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates the environment. Relative paths are resolved against `root` (the project folder).
 * @throws {ConfigError} listing every invalid key
 */
export function loadConfig(env: NodeJS.ProcessEnv, root: string): Readonly<Config> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "environment");
      // zod's own messages may quote the received value; only our messages are shown.
      const message = issue.message.startsWith("Invalid input") ? "is invalid" : issue.message;
      return `${key} ${message}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  const e = result.data;
  return Object.freeze({
    discord: Object.freeze({
      ...(e.DISCORD_TOKEN !== undefined && { token: e.DISCORD_TOKEN }),
      ...(e.DISCORD_APPLICATION_ID !== undefined && { applicationId: e.DISCORD_APPLICATION_ID }),
      ...(e.DISCORD_GUILD_ID !== undefined && { guildId: e.DISCORD_GUILD_ID }),
      ...(e.DISCORD_API_URL !== undefined && { apiUrl: e.DISCORD_API_URL }),
      ...(e.DISCORD_SHARDS !== undefined && { shardCount: e.DISCORD_SHARDS }),
      isShardProcess: e.SHARDING_MANAGER === "true",
    }),
    seedsDir: path.resolve(root, e.SEEDS_DIR),
    logLevel: e.LOG_LEVEL,
    admins: Object.freeze({ userIds: e.ADMIN_USER_IDS, roleIds: e.ADMIN_ROLE_IDS }),
    askRateLimit: Object.freeze({
      limit: e.ASK_RATE_LIMIT,
      windowMs: e.ASK_RATE_WINDOW_SECONDS * 1000,
    }),
    addArticle: Object.freeze({ allowLoopback: e.ADD_ARTICLE_ALLOW_LOOPBACK === "true" }),
  });
}
