/**
 * The local console as a person meets it (`npm start -- --console`, reading from a pipe): the
 * per-user rate limit, and logs kept out of the conversation.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copySeeds, startBot } from "../support/bot-process.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe("the console", () => {
  it("applies the per-user rate limit, as the bot does", async () => {
    const bot = startBot({ ASK_RATE_LIMIT: "2", ASK_RATE_WINDOW_SECONDS: "60" }, ["--console"]);
    bot.child.stdin?.end(
      "/ask who took the selfie?\n/ask what phone was used?\n/ask where was the summit?\n/quit\n",
    );
    const { code } = await bot.exited;
    expect(code).toBe(0);
    expect(bot.output.match(/Easy there — you're asking faster than I can keep up/g)).toHaveLength(
      1,
    );
  });

  it("says where the logs go, and prints no log line when a reload fails", async () => {
    const seeds = await copySeeds();
    cleanups.push(seeds.remove);
    const bot = startBot({ SEEDS_DIR: seeds.dir }, ["--console"]);
    bot.child.stdin?.write("/ask who took the selfie?\n");
    // Break the articles only once the console has answered from them.
    for (let i = 0; i < 600 && !bot.output.includes("Q:"); i++) {
      if (bot.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(bot.output).toContain("Q:");
    await writeFile(path.join(seeds.dir, "broken.md"), '---\noutlet: "Half\n');
    bot.child.stdin?.end("/reload\n/quit\n");
    const { code } = await bot.exited;
    expect(code).toBe(0);
    const logFile = /Logs go to (.+summit-desk-console\.log)\./.exec(bot.output)?.[1];
    expect(logFile).toBeDefined();
    expect(bot.output).toContain("Reload failed");
    expect(bot.output).not.toMatch(/\{"level":/);
    expect(bot.stderr.join("")).toBe("");
  });

  it("tells the admin which files a reload ignored, with the reload's outcome", async () => {
    const seeds = await copySeeds();
    cleanups.push(seeds.remove);
    const bot = startBot({ SEEDS_DIR: seeds.dir }, ["--console"]);
    await writeFile(path.join(seeds.dir, "notes.txt"), "to do: add the Yonhap piece\n");
    await mkdir(path.join(seeds.dir, "drafts"));
    bot.child.stdin?.end("/reload\n/quit\n");
    const { code } = await bot.exited;
    expect(code).toBe(0);
    expect(bot.output).toMatch(/Reloaded in \d+ ms/);
    expect(bot.output).toContain("2 notes:");
    expect(bot.output).toContain("drafts: ignored: a folder");
    expect(bot.output).toContain("notes.txt: ignored: only *.md articles");
  });
});
