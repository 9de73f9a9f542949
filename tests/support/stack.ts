/**
 * The end-to-end setup most test files share: the local Discord-compatible endpoint, a
 * temporary copy of seeds/, and the real bot connected to the endpoint.
 */

import {
  type FakeDiscord,
  type FakeDiscordOptions,
  startFakeDiscord,
} from "../../fake-discord/index.js";
import { loadCommands } from "../../src/interactions/registry.js";
import { type BotProcess, copySeeds, fakeToken, startBot } from "./bot-process.js";

/** What the bot logs once its warm-up has ended, either way (see src/discord/bot.ts). */
const WARM_UP_ENDED = new Set(["warmed up", "warming up failed; the first answers may be slower"]);

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
    /** How the bot is run (see startBot): the TypeScript sources by default. */
    entry?: readonly string[];
  } = {},
): Promise<Stack> {
  const fake = await startFakeDiscord(options.fake);
  const token = fakeToken();
  // Registered as `npm run deploy-commands` does, so that the endpoint enforces what the
  // registration says (default_member_permissions) as Discord does.
  await registerCommands(fake, token);
  const seeds = await copySeeds();
  await options.prepare?.(seeds.dir);
  const bot = startBot(
    {
      DISCORD_TOKEN: token,
      DISCORD_API_URL: fake.apiUrl,
      SEEDS_DIR: seeds.dir,
      ...options.env,
    },
    [],
    [],
    options.entry,
  );
  const stop = async () => {
    await bot.stop("SIGKILL");
    await fake.close();
    await seeds.remove();
  };
  try {
    await fake.waitForReady({ shards: options.fake?.shards ?? 1, timeoutMs: 60_000 });
    await bot.waitForLog((l) => l.msg === "connected to Discord", 60_000);
    // Ready as a member meets it: the index loaded and warmed up in every bot process (one
    // per shard with DISCORD_SHARDS), so that the first question a test asks is not the one
    // that waits for the index.
    const processes = Number(options.env?.DISCORD_SHARDS) || 1;
    await bot.waitForLog(
      () => bot.logs.filter((l) => WARM_UP_ENDED.has(l.msg)).length >= processes,
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { fake, bot, seedsDir: seeds.dir, token, stop };
}

/** Registers the bot's commands globally on the endpoint, through its REST route. */
async function registerCommands(fake: FakeDiscord, token: string): Promise<void> {
  const body = [...(await loadCommands()).values()].map((c) => c.data);
  const response = await fetch(`${fake.apiUrl}/v10/applications/${fake.applicationId}/commands`, {
    method: "PUT",
    headers: { authorization: `Bot ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`registering the commands failed: ${response.status}`);
}
