/**
 * Production runs compiled JavaScript: `npm start` (scripts/start.mjs) builds dist/ when it is
 * missing or older than the sources, then runs `dist/src/main.js`; the service files run that
 * file directly. Here the build runs for real, and the compiled bot answers: on the console
 * through `npm start`'s script, from a pipe and on a terminal, and on the Discord-compatible
 * endpoint as the service runs it. (These tests replace the project's dist/, which is a build
 * output; no other test file runs or builds it, so files running in parallel cannot meet a
 * half-built dist/.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { defaultUser } from "../../fake-discord/index.js";
import {
  BLANK_CONFIG,
  COMPILED_ENTRY,
  copySeeds,
  PROJECT_ROOT,
  startBot,
} from "../support/bot-process.js";
import { type Stack, startStack } from "../support/stack.js";

const DIST = path.join(PROJECT_ROOT, "dist");
/** tsc on the whole project takes about 10 s alone, several times that on a busy machine. */
const BUILD_MS = 240_000;

let stack: Stack | undefined;
afterAll(async () => {
  // SIGTERM first: the shard manager stops its shard processes before it exits (a SIGKILL
  // would leave them running).
  await stack?.bot.stop("SIGTERM");
  await stack?.stop();
});

/** `npm start -- --console` with one question, from a pipe; its output once it exited. */
async function startAndAsk(seedsDir: string) {
  const bot = startBot({ SEEDS_DIR: seedsDir }, ["--console"], [], ["scripts/start.mjs"]);
  bot.child.stdin?.end("/ask who took the selfie?\n/quit\n");
  const { code } = await bot.exited;
  return { code, stdout: bot.stdout.join(""), stderr: bot.stderr.join("") };
}

describe("the compiled bot", () => {
  it(
    "is built by npm start on a fresh clone (no dist/), then answers; the next start does not build again",
    async () => {
      const seeds = await copySeeds();
      try {
        rmSync(DIST, { recursive: true, force: true });
        const first = await startAndAsk(seeds.dir);
        expect(first.stderr).toContain("Building dist/");
        expect(first.code).toBe(0);
        expect(first.stdout).toMatch(/Q:\* who took the selfie\?/);
        expect(first.stdout).toContain("selfie");
        expect(first.stdout).toContain("passage 1 of");
        // The compiled code and the data files it reads next to itself; no tests or bench.
        for (const file of [
          "src/main.js",
          "src/desk/index-thread.js",
          "commands/ask.js",
          "src/core/ranking-model.json",
          "src/core/lexicon/word-vectors.bin",
        ]) {
          expect(existsSync(path.join(DIST, file)), file).toBe(true);
        }
        expect(existsSync(path.join(DIST, "tests"))).toBe(false);
        expect(existsSync(path.join(DIST, "bench"))).toBe(false);

        const second = await startAndAsk(seeds.dir);
        expect(second.code).toBe(0);
        expect(second.stderr).not.toContain("Building dist/");
        expect(second.stdout).toContain("passage 1 of");
      } finally {
        await seeds.remove();
      }
    },
    BUILD_MS + 60_000,
  );

  // After the build above, so that dist/ is built once in the run (and by this file only).
  it("opens the local console on a terminal through npm start, says what it is, and answers /ask", async () => {
    // The console records its questions: in a folder of the test's, not the project's data/.
    const data = await mkdtemp(path.join(os.tmpdir(), "summit-console-data-"));
    onTestFinished(() => rm(data, { recursive: true, force: true }));
    // `script` gives the process a real pseudo-terminal, as when a person types `npm start`.
    const result = spawnSync("script", ["-qec", "npm start --silent", "/dev/null"], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        TERM: "dumb",
        ...BLANK_CONFIG,
        DATA_DIR: data,
      },
      input: "/ask how many agreements did the two countries sign\n/quit\n",
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("LOCAL CONSOLE (not connected to Discord)");
    expect(result.stdout).toContain("put DISCORD_TOKEN in .env");
    expect(result.stdout).toMatch(/15 agreements/);
  });

  it("answers /ask on the Discord endpoint, run as the service files run it, in two shard processes", async () => {
    expect(existsSync(path.join(DIST, "src/main.js"))).toBe(true);
    stack = await startStack({
      entry: COMPILED_ENTRY,
      fake: { shards: 2 },
      env: { DISCORD_SHARDS: "2" },
    });
    const { fake, bot } = stack;
    for (const guildId of fake.guildIds) {
      const reply = await fake
        .sendCommand({
          name: "ask",
          options: [{ name: "question", type: 3, value: "who took the selfie?" }],
          user: defaultUser(),
          guildId,
        })
        .waitForVisibleReply(10_000);
      const embeds = (reply.embeds ?? []) as Array<{
        description?: string;
        footer?: { text: string };
      }>;
      expect(embeds[0]?.description).toMatch(/selfie/i);
      expect(embeds[0]?.footer?.text).toMatch(/paragraph \d+ of \d+/);
    }
    // Each shard is its own process, started from the compiled entry point too.
    const shards = new Set(
      bot.logs.filter((l) => l.msg === "connected to Discord").map((l) => l.pid),
    );
    expect(shards.size).toBe(2);
    for (const pid of shards) {
      const command = readFileSync(`/proc/${String(pid)}/cmdline`, "utf8")
        .split("\0")
        .join(" ");
      expect(command).toContain(path.join("dist", "src", "main.js"));
      expect(command).not.toContain("tsx");
    }
  }, 120_000);
});
