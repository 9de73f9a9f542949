/**
 * End to end: the question log with the real bot against the local endpoint — votes on public
 * answers, a restart, /insights; a database that becomes read-only mid-run; two shards writing
 * one file under load.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  adminUser,
  defaultUser,
  type FakeDiscord,
  type FakeUser,
  type RecordedMessage,
} from "../../fake-discord/index.js";
import { DATABASE_FILE } from "../../src/insights/store.js";
import { type BotProcess, startBot } from "../support/bot-process.js";
import { type Stack, startStack } from "../support/stack.js";

const EPHEMERAL = 1 << 6;
const TALL = ["Who is the tallest person in the room?", "tallest person in the room"];
const PHONE = "what phone did lee use for the selfie?";

interface Button {
  custom_id: string;
  label: string;
}
const buttonsOf = (m: RecordedMessage) =>
  ((m.components ?? []) as Array<{ components: Button[] }>).flatMap((row) => row.components);
const labelsOf = (m: RecordedMessage) => buttonsOf(m).map((b) => b.label);
function buttonId(m: RecordedMessage, label: string): string {
  const found = buttonsOf(m).find((b) => b.label === label);
  if (!found) throw new Error(`no button ${label} in ${JSON.stringify(m.components)}`);
  return found.custom_id;
}

const stacks: Stack[] = [];
const folders: string[] = [];
const bots: BotProcess[] = [];

afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop("SIGKILL");
  // SIGTERM first: a shard manager killed outright would leave its shard processes behind.
  for (const stack of stacks.splice(0)) {
    await stack.bot.stop("SIGTERM");
    await stack.stop();
  }
  for (const dir of folders.splice(0)) {
    unlock(path.join(dir, DATABASE_FILE));
    await rm(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "summit-log-e2e-"));
  folders.push(dir);
  return dir;
}

async function stackWith(env: Record<string, string>, shards = 1): Promise<Stack> {
  const stack = await startStack({
    env,
    // 500 interactions at once on a shared machine may take longer than Discord's 3 s to be
    // acknowledged; what is tested here is that none is lost from the log, not how fast.
    ...(shards > 1 && { fake: { shards, interactionDeadlineMs: 60_000 } }),
  });
  stacks.push(stack);
  return stack;
}

function ask(fake: FakeDiscord, question: string, user: FakeUser, guildId?: string) {
  return fake
    .sendCommand({
      name: "ask",
      user,
      ...(guildId !== undefined && { guildId }),
      options: [{ name: "question", type: 3, value: question }],
    })
    .waitForVisibleReply(60_000);
}

function click(fake: FakeDiscord, message: RecordedMessage, customId: string, user: FakeUser) {
  return fake.clickButton({ customId, message, user }).waitForVisibleReply(10_000);
}

function insights(fake: FakeDiscord, user: FakeUser = adminUser()) {
  return fake
    .sendCommand({ name: "insights", user, options: [{ name: "days", type: 4, value: 7 }] })
    .waitForVisibleReply(20_000);
}

/** Everything the database folder holds, as text, to search for raw ids. */
function folderBytes(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(path.join(dir, f)).toString("latin1"))
    .join("\n");
}

function rowCount(dir: string, where = "1"): number {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM asks WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Makes the database file read-only. Permission bits do not stop root, so as root the file is
 * also made immutable (`chattr +i`), which does.
 */
function lock(file: string): void {
  chmodSync(file, 0o444);
  if (process.getuid?.() === 0) execFileSync("chattr", ["+i", file]);
}
function unlock(file: string): void {
  if (!existsSync(file)) return;
  if (process.getuid?.() === 0) execFileSync("chattr", ["-i", file]);
  chmodSync(file, 0o644);
}

describe("votes and /insights", () => {
  it("records votes, lets a member change theirs, keeps them over a restart, and /insights shows both", async () => {
    const data = await dataDir();
    const stack = await stackWith({ DATA_DIR: data, ASK_RATE_LIMIT: "1000" });
    const { fake } = stack;
    const asker = defaultUser("111111111111111111");
    const other = defaultUser("333333333333333333");
    const late = defaultUser("444444444444444444");

    const answer = await ask(fake, PHONE, asker);
    expect(labelsOf(answer)).toEqual([
      "◀ Previous",
      "Next passage ▶",
      "Other outlets",
      "Helpful",
      "Not helpful",
    ]);
    const thanks = await click(fake, answer, buttonId(answer, "Helpful"), asker);
    expect(thanks.content).toBe("Thanks — noted.");
    expect((thanks.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    // A second click changes the vote rather than adding one.
    await click(fake, answer, buttonId(answer, "Not helpful"), asker);
    await click(fake, answer, buttonId(answer, "Not helpful"), other);
    for (const q of TALL) expect((await ask(fake, q, asker)).content).toMatch(/./);

    // A private answer carries no vote buttons.
    const secret = await fake
      .sendCommand({
        name: "ask",
        user: asker,
        options: [
          { name: "question", type: 3, value: PHONE },
          { name: "private", type: 5, value: true },
        ],
      })
      .waitForVisibleReply(10_000);
    expect(labelsOf(secret)).not.toContain("Helpful");

    // Restart: SIGTERM writes what is queued; the new process opens the same file.
    expect((await stack.bot.stop("SIGTERM")).code).toBe(0);
    const bot = startBot({
      DISCORD_TOKEN: stack.token,
      DISCORD_API_URL: fake.apiUrl,
      SEEDS_DIR: stack.seedsDir,
      DATA_DIR: data,
      ASK_RATE_LIMIT: "1000",
    });
    bots.push(bot);
    await bot.waitForLog((l) => l.msg === "connected to Discord", 60_000);

    // The old message's vote button still works after the restart.
    const after = await click(fake, answer, buttonId(answer, "Helpful"), late);
    expect(after.content).toBe("Thanks — noted.");

    const report = await insights(fake);
    expect((report.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(report.content).toContain(
      "4 questions asked, 50% answered; votes: 1 Helpful, 2 Not helpful.",
    );
    const panel = JSON.stringify(report.embeds);
    expect(panel).toContain("2× **tallest person in the room**");
    expect(panel).toContain(
      `2× Not helpful (1 Helpful): **${PHONE}** — gave worldtribune-lee-giddy-after-selfie-of-a-lifetime ¶12`,
    );

    // Discord does not deliver it from a member without Manage Server…
    const member = defaultUser();
    expect(() => fake.sendCommand({ name: "insights", user: member })).toThrow(
      /Discord would not deliver \/insights .*lacks default_member_permissions 32/,
    );
    // …and the bot refuses one whom server settings let use it.
    fake.setCommandPermissions(fake.guildId, "insights", [
      { id: member.id, type: 2, permission: true },
    ]);
    const refused = await insights(fake, member);
    expect(refused.content).toContain("Only server admins");
    await bot.waitForLog((l) => l.msg === "insights refused: not an admin" && l.user === member.id);

    await bot.stop("SIGTERM");
    const bytes = folderBytes(data);
    expect(bytes).toContain(PHONE);
    for (const user of [asker, other, late]) expect(bytes).not.toContain(user.id);
  });

  it("pages a long /insights report with buttons, each page within Discord's limits", async () => {
    const data = await dataDir();
    const { fake } = await stackWith({ DATA_DIR: data, ASK_RATE_LIMIT: "1000" });
    const user = defaultUser();
    // 23 different declined questions: three pages of ten.
    const topics =
      "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey".split(
        " ",
      );
    for (const topic of topics) await ask(fake, `tallest ${topic} in the room zzqx`, user);
    const first = await insights(fake);
    expect(JSON.stringify(first.embeds)).toContain("Page 1 of 3");
    const next = await fake
      .clickButton({ customId: buttonId(first, "Next ▶"), message: first, user: adminUser() })
      .waitForVisibleReply(20_000);
    expect(JSON.stringify(next.embeds)).toContain("Page 2 of 3");
    for (const page of [first, next]) expect((page.content ?? "").length).toBeLessThanOrEqual(2000);
  });

  it("with QUESTION_LOG=off records nothing and shows no vote buttons", async () => {
    const data = await dataDir();
    const { fake } = await stackWith({ DATA_DIR: data, QUESTION_LOG: "off" });
    const answer = await ask(fake, PHONE, defaultUser());
    expect(labelsOf(answer)).not.toContain("Helpful");
    expect((await insights(fake)).content).toMatch(/^The question log is off/);
    expect(readdirSync(data)).toEqual([]);
  });
});

describe("a database that becomes read-only mid-run", () => {
  it("keeps answering, logs the problem once, /insights reports it, and writes again once fixed", async () => {
    const data = await dataDir();
    const { fake, bot } = await stackWith({ DATA_DIR: data, LOG_LEVEL: "debug" });
    const user = defaultUser();
    await ask(fake, PHONE, user);
    // The file appears before its tables do: until then, there is nothing to count.
    await fake.waitFor(() => {
      try {
        return rowCount(data) === 1;
      } catch {
        return false;
      }
    }, 10_000);

    lock(path.join(data, DATABASE_FILE));
    for (let i = 0; i < 3; i++) {
      const reply = await ask(fake, PHONE, user);
      expect(JSON.stringify(reply.embeds)).toContain("Xiaomi");
    }
    const report = await insights(fake);
    expect(report.content).toContain("The question log has a problem:");
    expect(report.content).toContain("cannot be written (read-only");
    expect(report.content).toContain("3 waiting to be written");
    // Retried every second (each failure a debug line), logged once (at most once a minute).
    const failures = () => bot.logs.filter((l) => l.msg === "a write to the question log failed");
    await bot.waitForLog(() => failures().length >= 3, 10_000);
    expect(failures().every((l) => l.kind === "read-only")).toBe(true);
    const warnings = bot.logs.filter((l) => String(l.msg).startsWith("question log:"));
    expect(warnings.map((l) => l.kind)).toEqual(["read-only"]);
    expect(rowCount(data)).toBe(1);

    unlock(path.join(data, DATABASE_FILE));
    await bot.waitForLog((l) => l.msg === "question log: writing again", 10_000);
    expect(rowCount(data)).toBe(4);
    expect((await insights(fake)).content).not.toContain("problem");
  });
});

describe("two shards sharing one file", () => {
  it("loses none of 500 concurrent /ask", async () => {
    const data = await dataDir();
    const stack = await stackWith(
      { DATA_DIR: data, DISCORD_SHARDS: "2", ASK_RATE_LIMIT: "1000" },
      2,
    );
    const { fake } = stack;
    const [first = "", second = ""] = fake.guildIds;
    const replies = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        ask(fake, PHONE, defaultUser(), i % 2 === 0 ? first : second),
      ),
    );
    expect(replies.filter((r) => JSON.stringify(r.embeds).includes("Xiaomi"))).toHaveLength(500);
    // SIGTERM stops both shards, each writing what it still has queued.
    expect((await stack.bot.stop("SIGTERM")).code).toBe(0);
    expect(rowCount(data, "via = 'ask'")).toBe(500);
    expect(rowCount(data, `guild = '${first}'`)).toBe(250);
    expect(rowCount(data, `guild = '${second}'`)).toBe(250);
  }, 240_000);
});
