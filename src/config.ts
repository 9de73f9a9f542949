/**
 * Configuration: the whole environment validated once, at start-up. Every problem is reported
 * at once, naming keys but never their values (a value may be a secret); the one exception is
 * SEEDS_DIR, a path, named as set so that the admin sees which folder is meant. Blank values
 * count as unset. Nothing else in the program reads `process.env`.
 */
import { statSync } from "node:fs";
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

const SHARDS = 'must be "auto" or a whole number of shards from 1 to 1000';

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
      .union(
        [
          z.literal("auto"),
          z.coerce
            .number({ error: SHARDS })
            .int({ error: SHARDS })
            .min(1, { error: SHARDS })
            .max(1000, { error: SHARDS }),
        ],
        { error: SHARDS },
      )
      .optional(),
  ),
  // Off when unset; 0 takes any free port (the log line "health and metrics served" names it).
  HTTP_PORT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: "must be a port number from 0 to 65535" })
      .int({ error: "must be a port number from 0 to 65535" })
      .min(0, { error: "must be a port number from 0 to 65535" })
      .max(65535, { error: "must be a port number from 0 to 65535" })
      .optional(),
  ),
  HTTP_HOST: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[\w.:-]{1,253}$/, { error: "must be an address or host name, e.g. 127.0.0.1" })
      .default("127.0.0.1"),
  ),
  // The question log (src/insights): where it lives, whether it runs, how long rows are kept.
  DATA_DIR: z.preprocess(blankAsUnset, z.string().default("data")),
  QUESTION_LOG: z.preprocess(
    blankAsUnset,
    z.enum(["on", "off"], { error: 'must be "on" or "off"' }).default("on"),
  ),
  QUESTION_LOG_DAYS: positiveInt(90, 3650),
  // For tests only: lets add-article fetch pages served on 127.0.0.1 or ::1.
  ADD_ARTICLE_ALLOW_LOOPBACK: z.preprocess(
    blankAsUnset,
    z.enum(["true", "false"], { error: 'must be "true" or "false"' }).default("false"),
  ),
  // Set by discord.js in the processes its ShardingManager starts.
  SHARDING_MANAGER: z.preprocess(blankAsUnset, z.string().optional()),
});

type Parsed = z.infer<typeof schema>;

/** Every key the configuration reads, from the schema itself (tests blank them all). */
export const CONFIG_KEYS = Object.freeze(Object.keys(schema.shape) as Array<keyof Parsed>);

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
  /** The corpus folder's name (`seeds` by default), as problems and messages show it. */
  seedsLabel: string;
  logLevel: Parsed["LOG_LEVEL"];
  admins: { userIds: string[]; roleIds: string[] };
  askRateLimit: { limit: number; windowMs: number };
  /** Fetching pages for add-article; loopback addresses are allowed in tests only. */
  addArticle: { allowLoopback: boolean };
  /** The health and metrics server; unset when HTTP_PORT is not set. */
  http?: { port: number; host: string };
  /** The question log: on or off, its folder (absolute), and how many days rows are kept. */
  questionLog: { enabled: boolean; dataDir: string; keepDays: number };
}

/** Thrown when the environment is invalid; `problems` name keys, never values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface LoadConfigOptions {
  /** Also check that SEEDS_DIR names a folder that exists, as start-up does. */
  checkFolders?: boolean;
}

/**
 * Validates the environment. Relative paths are resolved against `root` (the project folder).
 * @throws {ConfigError} listing every invalid key
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  root: string,
  options: LoadConfigOptions = {},
): Readonly<Config> {
  const result = schema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? "environment");
        // Every message reads "KEY must …" in plain words. zod's own messages ("Too small:
        // expected number to be >=1", "Invalid input") are in another voice and may quote the
        // value: they are never shown, should one slip past the messages above.
        const message = /^[a-z]/.test(issue.message)
          ? issue.message
          : "is not a value it takes (see .env.example)";
        return `${key} ${message}`;
      });
  if (options.checkFolders) {
    const seeds = seedsFolderProblem(env.SEEDS_DIR, root);
    if (seeds) problems.push(seeds);
  }
  if (!result.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
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
    // The folder's own name, not its path: replies to Discord admins never show the host's paths.
    seedsLabel: path.basename(path.resolve(root, e.SEEDS_DIR)),
    logLevel: e.LOG_LEVEL,
    admins: Object.freeze({ userIds: e.ADMIN_USER_IDS, roleIds: e.ADMIN_ROLE_IDS }),
    askRateLimit: Object.freeze({
      limit: e.ASK_RATE_LIMIT,
      windowMs: e.ASK_RATE_WINDOW_SECONDS * 1000,
    }),
    addArticle: Object.freeze({ allowLoopback: e.ADD_ARTICLE_ALLOW_LOOPBACK === "true" }),
    ...(e.HTTP_PORT !== undefined && {
      http: Object.freeze({ port: e.HTTP_PORT, host: e.HTTP_HOST }),
    }),
    questionLog: Object.freeze({
      enabled: e.QUESTION_LOG === "on",
      dataDir: path.resolve(root, e.DATA_DIR),
      keepDays: e.QUESTION_LOG_DAYS,
    }),
  });
}

/** A path is not a secret: the folder is named as it was set, so the admin sees which one. */
function seedsFolderProblem(value: string | undefined, root: string): string | undefined {
  const set = blankAsUnset(value) as string | undefined;
  const named =
    set === undefined ? 'is not set, and the default folder "seeds"' : `is "${set}", which`;
  try {
    if (!statSync(path.resolve(root, set ?? "seeds")).isDirectory()) {
      return `SEEDS_DIR ${named} is not a folder`;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return `SEEDS_DIR ${named} does not exist`;
    return `SEEDS_DIR ${named} cannot be read (${code === "EACCES" ? "permission denied" : code})`;
  }
  return undefined;
}
