import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, ConfigError, loadConfig } from "../../src/config.js";

const ROOT = path.resolve("/srv/summit-desk");
const TOKEN = "MTA0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz012345";

/** The problems `loadConfig` throws for `env`, or fails the test if it does not throw. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, ROOT);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("defaults", () => {
  it("runs with an empty environment", () => {
    const config = loadConfig({}, ROOT);
    expect(config.seedsDir).toBe(path.join(ROOT, "seeds"));
    expect(config.logLevel).toBe("info");
    expect(config.admins).toEqual({ userIds: [], roleIds: [] });
    expect(config.askRateLimit).toEqual({ limit: 5, windowMs: 10_000 });
    expect(config.addArticle).toEqual({ allowLoopback: false });
    for (const key of ["token", "applicationId", "guildId", "apiUrl", "shardCount"]) {
      expect(config.discord).not.toHaveProperty(key);
    }
  });

  it("returns a frozen object", () => {
    const config = loadConfig({}, ROOT);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.discord)).toBe(true);
    expect(Object.isFrozen(config.admins)).toBe(true);
    expect(Object.isFrozen(config.askRateLimit)).toBe(true);
  });
});

describe("the list of keys", () => {
  it("names every key that .env.example documents", () => {
    const example = readFileSync(path.join(import.meta.dirname, "../../.env.example"), "utf8");
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(0);
    for (const key of documented) expect(CONFIG_KEYS).toContain(key);
  });
});

describe("the corpus folder", () => {
  it("is named in messages by the folder SEEDS_DIR points to", () => {
    const config = loadConfig({ SEEDS_DIR: "/data/articles/" }, ROOT);
    expect(config.seedsDir).toBe(path.resolve("/data/articles"));
    expect(config.seedsLabel).toBe("articles");
    expect(loadConfig({}, ROOT).seedsLabel).toBe("seeds");
  });
});

describe("valid values", () => {
  it("reads every key it knows", () => {
    const config = loadConfig(
      {
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: "123456789012345678",
        DISCORD_GUILD_ID: "223456789012345678",
        DISCORD_API_URL: "http://127.0.0.1:3000/api/",
        SEEDS_DIR: "corpus/en",
        LOG_LEVEL: "debug",
        ADMIN_USER_IDS: "123456789012345678, 98765432109876543",
        ADMIN_ROLE_IDS: "323456789012345678",
        ASK_RATE_LIMIT: "7",
        ASK_RATE_WINDOW_SECONDS: "30",
        ADD_ARTICLE_ALLOW_LOOPBACK: "true",
      },
      ROOT,
    );
    expect(config.discord).toMatchObject({
      token: TOKEN,
      applicationId: "123456789012345678",
      guildId: "223456789012345678",
      apiUrl: "http://127.0.0.1:3000/api",
    });
    expect(config.seedsDir).toBe(path.join(ROOT, "corpus/en"));
    expect(config.logLevel).toBe("debug");
    expect(config.admins).toEqual({
      userIds: ["123456789012345678", "98765432109876543"],
      roleIds: ["323456789012345678"],
    });
    expect(config.askRateLimit).toEqual({ limit: 7, windowMs: 30_000 });
    expect(config.addArticle).toEqual({ allowLoopback: true });
  });

  it("keeps an absolute seeds folder as it is", () => {
    expect(loadConfig({ SEEDS_DIR: "/data/seeds" }, ROOT).seedsDir).toBe("/data/seeds");
  });

  it("ignores keys it does not know", () => {
    expect(loadConfig({ PATH: "/usr/bin", HOME: "/root" }, ROOT).logLevel).toBe("info");
  });
});

describe("blank values count as unset", () => {
  it("falls back to the defaults for empty and whitespace-only values", () => {
    const config = loadConfig(
      {
        DISCORD_TOKEN: "",
        DISCORD_APPLICATION_ID: "   ",
        DISCORD_API_URL: " ",
        SEEDS_DIR: "  ",
        LOG_LEVEL: "",
        ADMIN_USER_IDS: " ",
        ASK_RATE_LIMIT: "",
        ASK_RATE_WINDOW_SECONDS: "\t",
      },
      ROOT,
    );
    expect(config).toEqual(loadConfig({}, ROOT));
  });
});

describe("every problem is reported at once", () => {
  it("lists each invalid key with what it must be", () => {
    expect(
      problemsOf({
        DISCORD_TOKEN: "short",
        DISCORD_APPLICATION_ID: "12",
        DISCORD_GUILD_ID: "guild",
        DISCORD_API_URL: "ftp://127.0.0.1/api",
        LOG_LEVEL: "loud",
        ADMIN_USER_IDS: "123456789012345678,abc",
        ASK_RATE_LIMIT: "0",
        ASK_RATE_WINDOW_SECONDS: "1.5",
        ADD_ARTICLE_ALLOW_LOOPBACK: "yes",
      }),
    ).toEqual([
      "DISCORD_TOKEN does not look like a bot token",
      "DISCORD_APPLICATION_ID must be a Discord id",
      "DISCORD_GUILD_ID must be a Discord id",
      "DISCORD_API_URL must be an http:// or https:// URL",
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
      "ADMIN_USER_IDS must be a comma-separated list of Discord ids (17–20 digits)",
      "ASK_RATE_LIMIT must be at least 1",
      "ASK_RATE_WINDOW_SECONDS must be a whole number",
      'ADD_ARTICLE_ALLOW_LOOPBACK must be "true" or "false"',
    ]);
  });

  it("puts every problem in the error message, one per line", () => {
    const error = (() => {
      try {
        loadConfig({ LOG_LEVEL: "loud", ASK_RATE_LIMIT: "abc" }, ROOT);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      [
        "Configuration problems:",
        "  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
        "  - ASK_RATE_LIMIT must be a whole number",
      ].join("\n"),
    );
  });

  it("refuses numbers out of range", () => {
    expect(problemsOf({ ASK_RATE_LIMIT: "1001", ASK_RATE_WINDOW_SECONDS: "3601" })).toEqual([
      "ASK_RATE_LIMIT must be at most 1000",
      "ASK_RATE_WINDOW_SECONDS must be at most 3600",
    ]);
  });
});

describe("secrets stay secret", () => {
  const badTokens = [
    "hunter2 is my password",
    "token-with-a-secret-part:SECRETSECRETSECRETSECRET",
    `${"S".repeat(201)}`,
  ];
  for (const token of badTokens) {
    it(`never shows a bad token value in the problems (${token.slice(0, 20)}…)`, () => {
      let message = "";
      try {
        loadConfig({ DISCORD_TOKEN: token, LOG_LEVEL: token }, ROOT);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message).toContain("DISCORD_TOKEN does not look like a bot token");
      expect(message).not.toContain(token);
      expect(message).not.toMatch(/hunter2|SECRET|SSSS/);
    });
  }
});

describe("the API URL", () => {
  for (const url of [
    "http://127.0.0.1:3000/api/v10",
    "http://127.0.0.1:3000/api/v10/",
    "https://discord.example/api/v9",
  ]) {
    it(`refuses ${url}, which ends with the API version`, () => {
      expect(problemsOf({ DISCORD_API_URL: url })).toEqual([
        "DISCORD_API_URL must not end with the API version: use e.g. http://127.0.0.1:3000/api, not …/api/v10",
      ]);
    });
  }

  it("drops trailing slashes", () => {
    expect(loadConfig({ DISCORD_API_URL: "https://fake.example/api//" }, ROOT).discord.apiUrl).toBe(
      "https://fake.example/api",
    );
  });

  it("refuses something that is not a URL", () => {
    expect(problemsOf({ DISCORD_API_URL: "localhost:3000" })).toEqual([
      "DISCORD_API_URL must be an http:// or https:// URL",
    ]);
  });
});
