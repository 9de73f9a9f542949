/**
 * The end-to-end setup most test files share: the local Discord-compatible endpoint, a
 * temporary copy of seeds/, and the real bot connected to the endpoint.
 */

import {
  type FakeDiscord,
  type FakeDiscordOptions,
  startFakeDiscord,
} from "../../fake-discord/index.js";
import { type BotProcess, copySeeds, fakeToken, startBot } from "./bot-process.js";

export interface Stack {
  fake: FakeDiscord;
  bot: BotProcess;
  seedsDir: string;
  token: string;
  /** Kills the bot, closes the endpoint, removes the seeds copy. */
  stop(): Promise<void>;
}

export async function startStack(
  options: {
    fake?: FakeDiscordOptions;
    /** Extra configuration for the bot. */
    env?: Record<string, string>;
    /** Changes to the seeds copy before the bot starts. */
    prepare?: (seedsDir: string) => Promise<void>;
  } = {},
): Promise<Stack> {
  const fake = await startFakeDiscord(options.fake);
  const seeds = await copySeeds();
  await options.prepare?.(seeds.dir);
  const token = fakeToken();
  const bot = startBot({
    DISCORD_TOKEN: token,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: seeds.dir,
    ...options.env,
  });
  const stop = async () => {
    await bot.stop("SIGKILL");
    await fake.close();
    await seeds.remove();
  };
  try {
    await fake.waitForReady({ shards: options.fake?.shards ?? 1, timeoutMs: 60_000 });
    await bot.waitForLog((l) => l.msg === "connected to Discord", 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { fake, bot, seedsDir: seeds.dir, token, stop };
}
