import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

/** The problems `loadConfig` throws for `env`, or [] when it accepts it. */
function problemsOf(env: NodeJS.ProcessEnv, root = "/srv/summit-desk", checkFolders = false) {
  try {
    loadConfig(env, root, { checkFolders });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("every config message speaks plain English", () => {
  for (const value of ["0", "-1", "1.5", "1001", "abc", "Auto"]) {
    it(`says what DISCORD_SHARDS takes when it is ${JSON.stringify(value)}`, () => {
      expect(problemsOf({ DISCORD_SHARDS: value })).toEqual([
        'DISCORD_SHARDS must be "auto" or a whole number of shards from 1 to 1000',
      ]);
    });
  }

  it("reads every problem as KEY followed by plain words, never a validator's wording", () => {
    const odd = ["0", "-1", "1.5", "1001", "99999999", "abc", "Infinity", "NaN", "[]", "{}", "🙂"];
    const keys = [
      "DISCORD_TOKEN",
      "DISCORD_APPLICATION_ID",
      "DISCORD_GUILD_ID",
      "DISCORD_API_URL",
      "DISCORD_SHARDS",
      "LOG_LEVEL",
      "ADMIN_USER_IDS",
      "ADMIN_ROLE_IDS",
      "ASK_RATE_LIMIT",
      "ASK_RATE_WINDOW_SECONDS",
    ];
    for (const key of keys) {
      for (const value of odd) {
        for (const problem of problemsOf({ [key]: value })) {
          expect(problem).toMatch(new RegExp(`^${key} (must|does|is) [a-z"]`));
          expect(problem).not.toMatch(/expected|Too (small|big)|Invalid|[<>]=/);
        }
      }
    }
  });
});

describe("SEEDS_DIR is checked at start-up with the other settings, and named as set", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "summit-desk-config-"));
    await mkdir(path.join(root, "seeds"));
    await mkdir(path.join(root, "corpus"));
    await writeFile(path.join(root, "notes.txt"), "a file");
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("names a folder that does not exist as it was set", () => {
    expect(problemsOf({ SEEDS_DIR: "/nonexistent" }, root, true)).toEqual([
      'SEEDS_DIR is "/nonexistent", which does not exist',
    ]);
  });

  it("says when SEEDS_DIR names a file, not a folder", () => {
    expect(problemsOf({ SEEDS_DIR: "notes.txt" }, root, true)).toEqual([
      'SEEDS_DIR is "notes.txt", which is not a folder',
    ]);
  });

  it("reports it together with every other problem", () => {
    expect(problemsOf({ SEEDS_DIR: "missing/", LOG_LEVEL: "loud" }, root, true)).toEqual([
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
      'SEEDS_DIR is "missing/", which does not exist',
    ]);
  });

  it("says when the default folder is missing", () => {
    expect(problemsOf({}, path.join(root, "corpus"), true)).toEqual([
      'SEEDS_DIR is not set, and the default folder "seeds" does not exist',
    ]);
  });

  it("accepts a folder that exists, and keeps its name as set for messages", () => {
    const config = loadConfig({ SEEDS_DIR: "corpus/" }, root, { checkFolders: true });
    expect(config.seedsDir).toBe(path.join(root, "corpus"));
    expect(config.seedsLabel).toBe("corpus");
    expect(loadConfig({}, root, { checkFolders: true }).seedsLabel).toBe("seeds");
  });
});
