/**
 * Starting when Discord cannot be reached or refuses: the real bot (one process, and under the
 * shard manager) against the local endpoint answering 401 or 500, a port that refuses
 * connections, and a name that does not resolve. Each failure gets its own readable line on
 * standard error with a next step, its own exit code, and no stack trace unless
 * LOG_LEVEL=debug.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../../fake-discord/index.js";
import { type BotProcess, copySeeds, fakeToken, startBot } from "../support/bot-process.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const TOKEN_REFUSED =
  "Discord refused the bot token (401 Unauthorized): reset it in the Developer Portal (your application → Bot → Reset Token), put the new one in DISCORD_TOKEN in .env, and start again.";
const OUTAGE =
  /^Discord is not working right now \(it answered 500\): nothing is wrong with your setup; see https:\/\/discordstatus\.com and start again in a few minutes\.$/m;
const REFUSED =
  /^Cannot reach Discord: the connection to 127\.0\.0\.1:\d+ was refused or cut: check the internet connection, a firewall or proxy, and DISCORD_API_URL, then start again\.$/m;
const DNS =
  /^Cannot reach Discord: the name nosuch\.invalid could not be looked up \(no network, or DNS is down\): check the internet connection and DISCORD_API_URL, then start again\.$/m;
const STACK = /\n\s+at .+:\d+:\d+/;

async function fake(options: { refuseToken?: boolean; fail500?: boolean } = {}) {
  const endpoint: FakeDiscord = await startFakeDiscord(
    options.refuseToken ? { token: "another-token-that-is-not-the-bots" } : {},
  );
  cleanups.push(() => endpoint.close());
  if (options.fail500) endpoint.failNext({ path: /gateway/, status: 500, count: 1000 });
  return endpoint.apiUrl;
}

/** A local port that refuses connections: one that was just free. */
async function refusingApi(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 9}/api`;
}

async function start(apiUrl: string, env: Record<string, string> = {}): Promise<BotProcess> {
  const seeds = await copySeeds();
  cleanups.push(seeds.remove);
  const token = fakeToken();
  const bot = startBot({
    DISCORD_TOKEN: token,
    DISCORD_API_URL: apiUrl,
    SEEDS_DIR: seeds.dir,
    ...env,
  });
  cleanups.push(() => bot.stop("SIGKILL"));
  const timer = setTimeout(() => bot.child.kill("SIGKILL"), 90_000);
  await bot.exited;
  clearTimeout(timer);
  expect(bot.output).not.toContain(token);
  return bot;
}

const stderr = (bot: BotProcess) => bot.stderr.join("");

describe("start-up when Discord cannot be reached, one process", () => {
  it("says the token was refused (401), exit code 78", async () => {
    const bot = await start(await fake({ refuseToken: true }));
    expect(bot.child.exitCode).toBe(78);
    expect(stderr(bot).trim()).toBe(TOKEN_REFUSED);
    expect(bot.logs.some((l) => l.msg === TOKEN_REFUSED && l.level === 60)).toBe(true);
    expect(bot.output).not.toMatch(STACK);
  });

  it("says Discord is failing (500), not the token, exit code 69", async () => {
    const bot = await start(await fake({ fail500: true }));
    expect(bot.child.exitCode).toBe(69);
    expect(stderr(bot)).toMatch(OUTAGE);
    expect(bot.output).not.toContain("DISCORD_TOKEN");
    expect(bot.output).not.toMatch(STACK);
  });

  it("says the connection was refused, exit code 69", async () => {
    const bot = await start(await refusingApi());
    expect(bot.child.exitCode).toBe(69);
    expect(stderr(bot)).toMatch(REFUSED);
    expect(bot.output).not.toMatch(STACK);
  });

  it("says the name could not be looked up, exit code 69", async () => {
    const bot = await start("http://nosuch.invalid/api");
    expect(bot.child.exitCode).toBe(69);
    expect(stderr(bot)).toMatch(DNS);
    expect(bot.output).not.toMatch(STACK);
  });

  it("logs the error with its stack at LOG_LEVEL=debug", async () => {
    const bot = await start(await refusingApi(), { LOG_LEVEL: "debug" });
    expect(bot.child.exitCode).toBe(69);
    const line = bot.logs.find((l) => l.msg === "the error behind the failed login");
    expect(JSON.stringify(line?.err)).toContain("ECONNREFUSED");
    expect(JSON.stringify(line?.err)).toMatch(/"stack":/);
  });
});

describe("start-up when Discord cannot be reached, sharded", () => {
  it("DISCORD_SHARDS=2 and a refused token: the same line once, exit code 78, no stack", async () => {
    const bot = await start(await fake({ refuseToken: true }), { DISCORD_SHARDS: "2" });
    expect(bot.child.exitCode).toBe(78);
    expect(stderr(bot).trim()).toBe(TOKEN_REFUSED);
    expect(bot.output).not.toMatch(STACK);
    expect(bot.output).not.toContain("ShardingReadyDied");
  });

  it("DISCORD_SHARDS=2 and Discord failing: the same line, exit code 69, no stack", async () => {
    const bot = await start(await fake({ fail500: true }), { DISCORD_SHARDS: "2" });
    expect(bot.child.exitCode).toBe(69);
    expect(stderr(bot)).toMatch(OUTAGE);
    expect(bot.output).not.toMatch(STACK);
  });

  it("DISCORD_SHARDS=auto and no connection: the same line from the manager, exit code 69", async () => {
    const bot = await start(await refusingApi(), { DISCORD_SHARDS: "auto" });
    expect(bot.child.exitCode).toBe(69);
    expect(stderr(bot)).toMatch(REFUSED);
    expect(bot.output).not.toMatch(STACK);
  });

  it("DISCORD_SHARDS=auto and a refused token: exit code 78", async () => {
    const bot = await start(await fake({ refuseToken: true }), { DISCORD_SHARDS: "auto" });
    expect(bot.child.exitCode).toBe(78);
    expect(stderr(bot).trim()).toBe(TOKEN_REFUSED);
  });
});
