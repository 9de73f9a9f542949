/**
 * The index thread dies (killed from outside, as a crash would end it) and the bot keeps
 * serving: a new thread is built from the files the dead one was serving, never from the
 * folder as it is now; calls in flight are answered; a reload needs no live old thread; every
 * failure path stops the thread it started; a thread that keeps dying is restarted with a
 * growing pause, with a clear log line and a `/source` status meanwhile.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { IndexUnavailable } from "../../src/core/desk.js";
import { Library } from "../../src/core/library.js";
import {
  openThreadedDesk,
  type ThreadedDesk,
  type ThreadedDeskOptions,
} from "../../src/desk/index-thread-client.js";
import type { Invoker, OptionReader } from "../../src/interactions/command.js";
import { Cooldown } from "../../src/interactions/cooldown.js";
import { Dispatcher } from "../../src/interactions/dispatch.js";
import { loadCommands } from "../../src/interactions/registry.js";
import { AnswerSessions } from "../../src/interactions/sessions.js";
import { createLogger } from "../../src/log.js";
import { articleText, useTempFolders } from "../support/corpus-folder.js";

const folders = useTempFolders();
const desks: ThreadedDesk[] = [];
afterEach(async () => {
  await Promise.all(desks.splice(0).map((desk) => desk.close()));
});

const QUESTION = "what phone did lee use for the selfie";
const NEW_ARTICLE = articleText({
  outlet: "Harbour Post",
  headline: "Ferry timetable changes for the lantern festival",
  url: "https://harbour-post.example/ferry",
  paragraphs: ["The ferry to the lantern festival leaves every twenty minutes from pier nine."],
});

function open(dir: string, options: ThreadedDeskOptions = {}) {
  const lines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const desk = openThreadedDesk(
    dir,
    "seeds",
    createLogger({ level: "info", destination }),
    options,
  );
  desks.push(desk);
  return { desk, lines };
}

/** Polls `check` every 20 ms until it holds; fails after `limitMs`. */
async function until(check: () => boolean, limitMs = 30_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited >= limitMs) throw new Error(`still not true after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Kills the thread that serves now, as a crash would; returns once it has exited. */
async function kill(desk: ThreadedDesk): Promise<void> {
  const thread = desk.servingThread();
  if (!thread) throw new Error("no thread is serving");
  await thread.terminate();
}

const slugs = async (desk: ThreadedDesk) =>
  (await desk.sources()).outlets.flatMap((o) => o.articles.map((a) => a.slug)).sort();

describe("a thread killed while idle", () => {
  it("is replaced from the snapshot it was serving, not from the folder as it is now", async () => {
    const dir = await folders.copyOfSeeds();
    const { desk, lines } = open(dir);
    const serving = await desk.ready;
    const before = await slugs(desk);
    const expected = (await desk.answer(QUESTION)).results;
    // Added without /reload: a restart must not start serving it.
    await writeFile(path.join(dir, "ferry-timetable.md"), NEW_ARTICLE);
    const dead = desk.servingThread();
    await kill(desk);

    expect((await desk.answer(QUESTION)).results).toEqual(expected);
    expect(desk.servingThread()).not.toBe(dead);
    expect(await slugs(desk)).toEqual(before);
    const now = await desk.serving();
    expect([now.articles, now.paragraphs]).toEqual([serving.articles, serving.paragraphs]);
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        "the index thread stopped (exit code 1); restarting it from the snapshot it was serving",
        "index thread restarted from the snapshot it was serving",
      ]),
    );
    await until(() => desk.liveThreads() === 1);

    // The new file is served after a reload, reported as an addition.
    const outcome = await desk.reload();
    expect(outcome.status).toBe("reloaded");
    if (outcome.status === "reloaded")
      expect(outcome.changes.articles.added).toEqual(["ferry-timetable"]);
  }, 60_000);
});

describe("a thread killed with a broken file in the folder", () => {
  it("keeps serving; failed reloads report the file and leave no thread behind", async () => {
    const dir = await folders.copyOfSeeds();
    // The bot's first pause is a second; a shorter one shows the same.
    const { desk } = open(dir, { firstPauseMs: 100 });
    await desk.ready;
    const expected = (await desk.answer(QUESTION)).results;
    await writeFile(path.join(dir, "broken.md"), "no front matter here\n");
    await kill(desk);
    expect((await desk.answer(QUESTION)).results).toEqual(expected);
    for (let i = 0; i < 3; i++) {
      const outcome = await desk.reload();
      expect(outcome.status).toBe("failed");
      if (outcome.status === "failed") expect(outcome.problems[0]?.file).toBe("seeds/broken.md");
    }
    await until(() => desk.liveThreads() === 1);
    // Killed again, still with the broken file there: back after a pause (two deaths within a
    // minute count as a crash loop), serving the same answers.
    await kill(desk);
    await until(() => desk.servingThread() !== undefined);
    expect((await desk.answer(QUESTION)).results).toEqual(expected);
    await until(() => desk.liveThreads() === 1);
  }, 90_000);
});

describe("a thread killed while answering 100 questions", () => {
  it("answers every one of them, each as the library does", async () => {
    const dir = await folders.copyOfSeeds();
    const { desk } = open(dir);
    await desk.ready;
    const library = await Library.open(dir, "seeds");
    const questions = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0 ? QUESTION : `who did lee meet in beijing ${i}`,
    );
    const answers = questions.map((q) => desk.answer(q));
    await kill(desk);
    const settled = await Promise.allSettled(answers);
    expect(settled.filter((s) => s.status === "rejected")).toEqual([]);
    for (const [i, s] of settled.entries()) {
      if (s.status !== "fulfilled") continue;
      expect(s.value.results).toEqual((await library.answer(questions[i] as string)).results);
    }
  }, 90_000);
});

describe("a thread killed during a reload", () => {
  it("lets the reload finish, and serves the reloaded index", async () => {
    const dir = await folders.copyOfSeeds();
    const { desk } = open(dir);
    await desk.ready;
    await writeFile(path.join(dir, "ferry-timetable.md"), NEW_ARTICLE);
    const reload = desk.reload();
    await kill(desk);
    const outcome = await reload;
    expect(outcome.status).toBe("reloaded");
    if (outcome.status === "reloaded")
      expect(outcome.changes.articles.added).toEqual(["ferry-timetable"]);
    expect(await slugs(desk)).toContain("ferry-timetable");
    // Whichever finished first, the restart gave way to the reload.
    await until(() => desk.liveThreads() === 1);
    expect(await slugs(desk)).toContain("ferry-timetable");
  }, 90_000);
});

describe("a crash loop", () => {
  const invoker: Invoker = { id: "111111111111111111", name: "tester", isAdmin: false };
  const none: OptionReader = { getString: () => null, getBoolean: () => null };

  it("pauses longer after each death, says so in the log and in /source, and recovers", async () => {
    const dir = await folders.copyOfSeeds();
    const { desk, lines } = open(dir, { firstPauseMs: 150, maxPauseMs: 600, stableMs: 60_000 });
    const serving = await desk.ready;
    const dispatcher = new Dispatcher({
      commands: await loadCommands(),
      desk,
      sessions: new AnswerSessions(),
      cooldown: new Cooldown(Number.MAX_SAFE_INTEGER, 1),
      log: createLogger({ level: "silent" }),
    });
    const pauses: number[] = [];
    let statusSeen = false;
    for (let death = 1; death <= 5; death++) {
      await until(() => desk.servingThread() !== undefined);
      // What the live thread was asked must not be given out for it once it is gone.
      await desk.sources();
      await kill(desk);
      if (death === 1) continue; // the first restart is at once
      // Meanwhile: calls fail at once with a reason, and /source says what is going on.
      const error = await desk.sources().catch((e: unknown) => e);
      if (error instanceof IndexUnavailable) {
        expect(error.message).toMatch(
          new RegExp(
            `^the index is unavailable: its thread stopped ${death} times in a row; the next restart is in \\d+ s$`,
          ),
        );
        const reply = await dispatcher.command("source", invoker, none);
        expect(reply.ephemeral).not.toBe(true);
        expect(reply.notes?.[0]).toMatch(
          /^⚠️ The index is unavailable: its thread stopped \d+ times in a row/,
        );
        expect(JSON.stringify(reply.notes?.[1])).toContain(`the same ${serving.articles} articles`);
        const ask = await dispatcher.command("ask", invoker, {
          ...none,
          getString: (n) => (n === "question" ? QUESTION : null),
        });
        expect(ask.notes?.[0]).toMatch(/^⚠️ Sorry — the index is unavailable/);
        statusSeen = true;
      }
    }
    for (const line of lines) {
      if (typeof line.retryInMs === "number") pauses.push(line.retryInMs);
    }
    expect(pauses).toEqual([150, 300, 600, 600]);
    expect(statusSeen).toBe(true);
    expect(lines.map((l) => l.msg)).toContain(
      "the index thread stopped (exit code 1); 5 failures in a row: the index is unavailable, next restart in 1 s",
    );
    // It comes back by itself, serving what it served.
    await until(() => desk.servingThread() !== undefined);
    expect((await desk.answer(QUESTION)).answered).toBe(true);
    await until(() => desk.liveThreads() === 1);
  }, 120_000);

  it("is ended by a reload, which does not need the dead thread", async () => {
    const dir = await folders.copyOfSeeds();
    const { desk } = open(dir, { firstPauseMs: 60_000, maxPauseMs: 60_000, stableMs: 60_000 });
    await desk.ready;
    await kill(desk);
    await until(() => desk.servingThread() !== undefined);
    await kill(desk); // now a minute's pause
    await expect(desk.answer(QUESTION)).rejects.toBeInstanceOf(IndexUnavailable);
    await writeFile(path.join(dir, "ferry-timetable.md"), NEW_ARTICLE);
    const outcome = await desk.reload();
    expect(outcome.status).toBe("reloaded");
    if (outcome.status === "reloaded")
      expect(outcome.changes.articles.added).toEqual(["ferry-timetable"]);
    expect((await desk.answer(QUESTION)).answered).toBe(true);
    expect(desk.liveThreads()).toBe(1);
  }, 90_000);
});
