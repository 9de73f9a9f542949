/**
 * A manager killed outright (SIGKILL, the OOM killer) sends its shards no signal: they must
 * notice on their own that it is gone and stop, rather than keep their gateway sessions and
 * answer beside the shards a restarted manager starts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../support/bot-process.js";
import { type Stack, startStack } from "../support/stack.js";

let bot: BotProcess;
let stack: Stack | undefined;
let shardPids: number[] = [];

beforeAll(async () => {
  stack = await startStack({ fake: { shards: 2 }, env: { DISCORD_SHARDS: "2" } });
  ({ bot } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  // Should the shards outlive the test, they must not outlive the run.
  for (const pid of shardPids.filter(running)) process.kill(pid, "SIGKILL");
});

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("shards whose manager is killed", () => {
  it("stop on their own, finishing what they were doing", async () => {
    const connected = () => [
      ...new Set(
        bot.logs.filter((l) => l.msg === "connected to Discord").map((l) => l.pid as number),
      ),
    ];
    for (let i = 0; i < 300 && connected().length < 2; i++) await pause(100);
    shardPids = connected();
    expect(shardPids).toHaveLength(2);
    expect(shardPids).not.toContain(bot.child.pid);
    for (const pid of shardPids) expect(running(pid)).toBe(true);

    bot.child.kill("SIGKILL");
    await bot.exited;
    for (let i = 0; i < 150 && shardPids.some(running); i++) {
      await pause(100);
    }
    expect(shardPids.filter(running)).toEqual([]);
    const stopped = bot.logs.filter((l) => l.msg === "stopped").map((l) => l.pid);
    expect(new Set(stopped)).toEqual(new Set(shardPids));
  }, 60_000);
});
