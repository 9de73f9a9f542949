/**
 * Two shards under discord.js's ShardingManager, against the local endpoint: each shard answers
 * its own servers, and a reload on one shard reloads the other.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminUser,
  defaultUser,
  type FakeDiscord,
  shardForGuild,
} from "../../fake-discord/index.js";
import type { BotProcess } from "../support/bot-process.js";
import { grew, healthBecomes, metrics, opsPort } from "../support/ops-client.js";
import { type Stack, startStack } from "../support/stack.js";

let fake: FakeDiscord;
let bot: BotProcess;
let seedsDir: string;
let stack: Stack | undefined;

const ask = (question: string, guildId: string) =>
  fake
    .sendCommand({
      name: "ask",
      guildId,
      user: defaultUser(),
      options: [{ name: "question", type: 3, value: question }],
    })
    .waitForVisibleReply(10_000);

beforeAll(async () => {
  stack = await startStack({
    fake: { shards: 2 },
    env: { DISCORD_SHARDS: "2", HTTP_PORT: "0" },
  });
  ({ fake, bot, seedsDir } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe("two shards", () => {
  it("runs one process per shard, each answering the servers of its shard", async () => {
    const [first, second] = fake.guildIds;
    expect(shardForGuild(first as string, 2)).not.toBe(shardForGuild(second as string, 2));
    for (const guildId of [first, second] as string[]) {
      const reply = await ask("how many agreements did the two countries sign", guildId);
      expect(JSON.stringify(reply.embeds)).toContain("15 agreements");
    }
    expect(
      new Set(bot.logs.filter((l) => l.msg === "connected to Discord").map((l) => l.pid)).size,
    ).toBe(2);
  });

  it("serves health and metrics from the manager: both shards reported, their counts summed", async () => {
    const port = await opsPort(bot);
    const health = await healthBecomes(port, 200);
    expect(health.shards.map((s) => [s.shard, s.gateway.status, s.index.loaded])).toEqual([
      [0, "Ready", true],
      [1, "Ready", true],
    ]);
    // Each shard is its own process.
    expect(
      new Set(bot.logs.filter((l) => l.msg === "connected to Discord").map((l) => l.pid)).size,
    ).toBe(2);
    const series = 'summit_desk_interactions_total{command="/ask",outcome="answered"}';
    const before = await metrics(port);
    for (const guildId of fake.guildIds) await ask("how long was the summit", guildId);
    const after = await metrics(port);
    expect(grew(before, after, series)).toBe(2);
    // Every shard holds the same index: the size is not doubled by the sum.
    expect(after.get("summit_desk_index_articles")).toBe(health.shards[0]?.index.articles);
    // Only the manager serves: one log line, from the manager's process.
    expect(bot.logs.filter((l) => l.msg === "health and metrics served")).toHaveLength(1);
  });

  it("reloads every shard when an admin reloads on one", async () => {
    const [first = "", second = ""] = fake.guildIds;
    await writeFile(
      path.join(seedsDir, "test-wire-ferry.md"),
      `---\noutlet: "Test Wire"\nheadline: "Ferry service resumes"\nurl: "https://example.com/ferry"\n---\nThe island ferry resumed service with a new boat named Morning Gull.\n`,
    );
    const report = await fake
      .sendCommand({ name: "reload", guildId: first, user: adminUser() })
      .waitForVisibleReply(30_000);
    expect(report.content).toMatch(/Reloaded in \d+ ms/);
    expect(report.content).toContain("All 2 shards reloaded.");
    const reply = await ask("what is the new ferry boat called", second);
    expect(JSON.stringify(reply.embeds)).toContain("Morning Gull");
  });

  it("stops every shard on SIGTERM", async () => {
    const { code } = await bot.stop("SIGTERM");
    expect(code).toBe(0);
    expect(bot.logs.filter((l) => l.msg === "stopped").length).toBe(2);
  });

  it("never wrote the token, from the manager or any shard", () => {
    expect(bot.logs.length).toBeGreaterThan(5);
    expect(bot.output).not.toContain(stack?.token);
  });
});
