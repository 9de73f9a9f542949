/**
 * Faults, against the real bot process and the local endpoint: gateway disconnects of every
 * kind, failing and slow REST, reloads under load and reloads that cannot read the articles.
 * After each, the bot answers again, and nothing it was asked is lost.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminUser,
  defaultUser,
  type FakeDiscord,
  type FakeUser,
  type InteractionHandle,
  type RecordedMessage,
} from "../../fake-discord/index.js";
import type { BotProcess } from "../support/bot-process.js";
import { type Stack, startStack } from "../support/stack.js";

const EPHEMERAL = 1 << 6;
let token: string;
const allowListed = defaultUser();
/** A role on ADMIN_ROLE_IDS, and a member who has it (without Manage Server). */
const adminRole = "323456789012345678";
const roleHolder: FakeUser = { ...defaultUser(), roles: [adminRole] };
let fake: FakeDiscord;
let bot: BotProcess;
let seedsDir: string;
let stack: Stack | undefined;

const send = (question: string, user: FakeUser = defaultUser()) =>
  fake.sendCommand({
    name: "ask",
    user,
    options: [{ name: "question", type: 3, value: question }],
  });
const ask = (question: string, user?: FakeUser) => send(question, user).waitForVisibleReply(10_000);
const reload = (user: FakeUser = adminUser()) =>
  fake.sendCommand({ name: "reload", user }).waitForVisibleReply(30_000);
const passage = (m: RecordedMessage) =>
  ((m.embeds ?? []) as Array<{ description?: string }>)[0]?.description ?? "";

async function answersAgain(): Promise<void> {
  expect(passage(await ask("how many agreements did the two countries sign"))).toContain(
    "15 agreements",
  );
}

beforeAll(async () => {
  // A short heartbeat so that a missing acknowledgement is noticed within seconds.
  stack = await startStack({
    fake: { heartbeatIntervalMs: 1000 },
    env: { LOG_LEVEL: "debug", ADMIN_USER_IDS: allowListed.id, ADMIN_ROLE_IDS: adminRole },
  });
  ({ fake, bot, seedsDir, token } = stack);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("gateway faults", () => {
  it("resumes after the connection drops without a close frame", async () => {
    const resumes = fake.stats.resumes;
    fake.dropGateway();
    const during = send("what was xi's ice proverb");
    await fake.waitFor(() => fake.stats.resumes > resumes, 10_000, "a resume");
    expect(passage(await during.waitForVisibleReply(10_000))).toContain("three feet of ice");
    await answersAgain();
  });

  it("resumes after a reconnect request", async () => {
    const resumes = fake.stats.resumes;
    fake.requestReconnect();
    await fake.waitFor(() => fake.stats.resumes > resumes, 10_000, "a resume");
    await answersAgain();
  });

  it("reconnects when heartbeats are not acknowledged", async () => {
    const resumes = fake.stats.resumes;
    const connections = fake.gatewayConnections.length;
    fake.setHeartbeatAcks(false);
    try {
      await fake.waitFor(
        () => fake.gatewayConnections.length > connections,
        15_000,
        "a new connection",
      );
    } finally {
      fake.setHeartbeatAcks(true);
    }
    await fake.waitFor(() => fake.stats.resumes > resumes, 15_000, "a resume");
    await answersAgain();
  });

  it("identifies again after an invalid session", async () => {
    const identifies = fake.stats.identifies;
    fake.invalidateSession(false);
    await fake.waitFor(() => fake.stats.identifies > identifies, 15_000, "a new IDENTIFY");
    await fake.waitForReady({ timeoutMs: 15_000 });
    await answersAgain();
  }, 30_000);
});

describe("REST faults", () => {
  it("delivers the reply when the first callback attempt gets a 500 (discord.js retries)", async () => {
    fake.failNext({ method: "POST", path: /\/callback$/, status: 500 });
    expect(passage(await ask("how long was the summit"))).toContain("90-minute");
  });

  it("delivers the reply after a 429 with Retry-After", async () => {
    fake.failNext({ method: "POST", path: /\/callback$/, status: 429, retryAfterSeconds: 1 });
    const handle = send("how long was the summit");
    const reply = await handle.waitForVisibleReply(10_000);
    expect(passage(reply)).toContain("90-minute");
    expect(reply.at - handle.sentAt).toBeGreaterThan(900);
  });

  it("delivers the reply when the callback is slow", async () => {
    fake.failNext({ method: "POST", path: /\/callback$/, delayMs: 1500 });
    expect(passage(await ask("how long was the summit"))).toContain("90-minute");
  });

  it("logs a reply it could not deliver and keeps serving", async () => {
    fake.failNext({ method: "POST", path: /\/callback$/, status: 500, count: 4 });
    const handle = send("how long was the summit");
    await bot.waitForLog(
      (l) => l.msg === "could not deliver a reply" && l.interaction === handle.id,
    );
    // The REST error's URL carries the interaction token: the logger writes it redacted.
    expect(bot.output).toContain(`/interactions/${handle.id}/[redacted]/callback`);
    expect(bot.output).not.toContain(handle.token);
    await answersAgain();
  });
});

describe("reloads under load", () => {
  const question = "what did the harbour pilot say about the fog";
  // Any of the ways the bot says the coverage does not answer.
  const DECLINED = /couldn't find|none of them states what you asked|I'm not sure/;

  it("answers every one of 200 questions in flight during a reload, each from the old or the new index", async () => {
    const before = passage(await ask(question));
    await writeFile(
      path.join(seedsDir, "test-wire-harbour-pilot.md"),
      `---\noutlet: "Test Wire"\nheadline: "Harbour pilot on the fog"\nurl: "https://example.com/harbour-pilot"\n---\nThe harbour pilot said the fog was the thickest in a decade.\n`,
    );
    const users = Array.from({ length: 40 }, () => defaultUser());
    const inFlight: InteractionHandle[] = [];
    for (let i = 0; i < 200; i++) inFlight.push(send(question, users[i % users.length]));
    const report = reload();
    const replies = await Promise.all(inFlight.map((h) => h.waitForVisibleReply(15_000)));
    expect((await report).content).toMatch(/Reloaded in/);
    const after = passage(await ask(question));
    expect(after).toContain("thickest in a decade");
    const seen = new Set(replies.map((r) => (r.embeds?.length ? passage(r) : (r.content ?? ""))));
    for (const text of seen)
      expect([before, after, ""].includes(text) || DECLINED.test(text)).toBe(true);
    expect(fake.rejections.filter((r) => inFlight.some((h) => h.id === r.interactionId))).toEqual(
      [],
    );
  }, 60_000);

  it("runs one of two simultaneous reloads and tells the other admin one is already running", async () => {
    const [first, second] = await Promise.all([reload(adminUser()), reload(adminUser())]);
    const contents = [first.content, second.content].join("\n");
    expect(contents).toMatch(/Reloaded in \d+ ms/);
    expect(contents).toMatch(/A reload is already running; this one was not started/);
    await answersAgain();
  });

  it("keeps serving and says why when seeds/ has disappeared", async () => {
    const away = `${seedsDir}-away`;
    await rename(seedsDir, away);
    try {
      const report = await reload();
      expect(report.content).toMatch(/Reload failed: 1 problem\. Nothing changed/);
      expect(report.content).toContain("seeds:1: cannot read the folder: it does not exist");
      await answersAgain();
    } finally {
      await rename(away, seedsDir);
    }
  });

  it("keeps serving and says why when seeds/ is a file, not a folder", async () => {
    const away = `${seedsDir}-away`;
    await rename(seedsDir, away);
    await writeFile(seedsDir, "not a folder");
    try {
      const report = await reload();
      expect(report.content).toContain("seeds:1: is not a folder");
      await answersAgain();
    } finally {
      await rm(seedsDir);
      await rename(away, seedsDir);
    }
  });

  it("keeps serving and says why when a file is half-written", async () => {
    const file = path.join(seedsDir, "half-written.md");
    await writeFile(file, '---\noutlet: "Test Wi');
    try {
      const report = await reload();
      expect(report.content).toContain("seeds/half-written.md:1: front matter is not closed");
      await answersAgain();
    } finally {
      await rm(file);
    }
  });

  it("reports, or loads, every kind of odd article file, and stays a transaction", async () => {
    const cases: Array<{ name: string; content: string | Buffer; expect: RegExp }> = [
      {
        name: "latin1.md",
        content: Buffer.from("---\noutlet: caf\xe9\n---\n", "latin1"),
        expect: /latin1\.md:2: file is not UTF-8 text/,
      },
      { name: "empty.md", content: "", expect: /empty\.md:1: missing front matter/ },
      {
        name: "huge.md",
        content: `---\noutlet: a\n---\n${"word ".repeat(1_100_000)}`,
        expect: /huge\.md:1: file is 5\.2 MB; an article may be at most 1 MB/,
      },
      {
        name: "bad-yaml.md",
        content: "---\noutlet: [unclosed\n---\nText here.\n",
        expect: /bad-yaml\.md:\d+: front matter:/,
      },
      {
        name: "dup-key.md",
        content:
          '---\noutlet: "A"\noutlet: "B"\nheadline: "H"\nurl: "https://example.com/x"\n---\nText.\n',
        expect: /dup-key\.md:3: front matter: Map keys must be unique/,
      },
      {
        name: "js-url.md",
        content: '---\noutlet: "A"\nheadline: "H"\nurl: "javascript:alert(1)"\n---\nText.\n',
        expect: /js-url\.md:4: url must be an http:\/\/ or https:\/\/ link/,
      },
    ];
    for (const c of cases) {
      const file = path.join(seedsDir, c.name);
      await writeFile(file, c.content);
      try {
        const report = await reload();
        expect(report.content).toMatch(c.expect);
        expect(report.content).toContain("Nothing changed");
      } finally {
        await rm(file);
      }
    }
    const dir = path.join(seedsDir, "folder.md");
    await mkdir(dir);
    try {
      expect((await reload()).content).toContain(
        "seeds/folder.md:1: is a folder, not an article file",
      );
    } finally {
      await rm(dir, { recursive: true });
    }
    // A byte-order mark, Windows line endings and a name with spaces load fine.
    await writeFile(
      path.join(seedsDir, "Windows Notes.md"),
      `\ufeff---\r\noutlet: "Test Wire"\r\nheadline: "Lighthouse keeper retires"\r\nurl: "https://example.com/lighthouse"\r\n---\r\nThe lighthouse keeper retired after forty-one years on the rock.\r\n`,
    );
    const report = await reload();
    expect(report.content).toContain("Added (1): `windows-notes`");
    expect(passage(await ask("how long did the lighthouse keeper serve"))).toContain(
      "forty-one years",
    );
    await answersAgain();
  }, 60_000);
});

describe("security", () => {
  it("lets a user on ADMIN_USER_IDS reload without Manage Server once a server admin allows them the command", async () => {
    // Discord hides /reload from members without Manage Server and never sends it from them…
    expect(() => reload(allowListed)).toThrow(/lacks default_member_permissions 32/);
    // …until a server admin allows the member under Server Settings → Integrations → /reload.
    fake.setCommandPermissions(fake.guildId, "reload", [
      { id: allowListed.id, type: 2, permission: true },
    ]);
    expect((await reload(allowListed)).content).toMatch(/Reloaded in \d+ ms|already running/);
  });

  it("lets a member with a role on ADMIN_ROLE_IDS reload once a server admin allows that role the command", async () => {
    fake.setCommandPermissions(fake.guildId, "reload", []);
    expect(() => reload(roleHolder)).toThrow(/lacks default_member_permissions 32/);
    fake.setCommandPermissions(fake.guildId, "reload", [
      { id: adminRole, type: 1, permission: true },
    ]);
    const report = await reload(roleHolder);
    expect(report.content).toMatch(/Reloaded in \d+ ms|already running/);
    await bot.waitForLog((l) => l.msg === "reload requested" && l.user === roleHolder.id);
    // The same role allowed by Discord, but not on ADMIN_ROLE_IDS: the bot refuses.
    const other: FakeUser = { ...defaultUser(), roles: ["423456789012345678"] };
    fake.setCommandPermissions(fake.guildId, "reload", [
      { id: "423456789012345678", type: 1, permission: true },
    ]);
    expect((await reload(other)).content).toMatch(/Only server admins/);
  });

  it("limits each user to 5 questions in 10 seconds, buttons included, with a friendly private message", async () => {
    const user = defaultUser();
    const first = await ask("what date was the lee xi summit", user);
    const next = (
      (first.components ?? []) as Array<{ components: Array<{ custom_id: string; label: string }> }>
    )
      .flatMap((r) => r.components)
      .find((b) => /Next/.test(b.label));
    expect(next).toBeDefined();
    const second = await fake
      .clickButton({ customId: next?.custom_id ?? "", message: first, user })
      .waitForVisibleReply();
    expect(second.content ?? "").not.toMatch(/Easy there/);
    const previous = (
      (second.components ?? []) as Array<{
        components: Array<{ custom_id: string; label: string }>;
      }>
    )
      .flatMap((r) => r.components)
      .find((b) => /Previous/.test(b.label));
    const third = await fake
      .clickButton({ customId: previous?.custom_id ?? "", message: second, user })
      .waitForVisibleReply();
    expect(third.content ?? "").not.toMatch(/Easy there/);
    await ask("how long was the summit", user);
    await ask("how long was the summit", user);
    const refused = await ask("how long was the summit", user);
    expect(refused.flags).toBe(EPHEMERAL);
    expect(refused.content).toMatch(
      /^Easy there — you're asking faster than I can keep up\. Try again in \d+ s\.$/,
    );
    const clickRefused = await fake
      .clickButton({ customId: next?.custom_id ?? "", message: third, user })
      .waitForVisibleReply();
    expect(clickRefused.content).toMatch(/Easy there/);
    expect(passage(await ask("how long was the summit"))).toContain("90-minute");
  });

  it("answers a command it does not know and an autocomplete for an option that does not exist", async () => {
    const unknown = await fake
      .sendCommand({ name: "weather", user: defaultUser() })
      .waitForVisibleReply();
    expect(unknown.flags).toBe(EPHEMERAL);
    expect(unknown.content).toMatch(/I don't know the command \/weather/);
    const handle = fake.sendAutocomplete({
      name: "ask",
      options: [{ name: "colour", type: 3, value: "re", focused: true }],
    });
    expect((await handle.waitForResponse()).body.data?.choices).toEqual([]);
    await answersAgain();
  });

  it("never writes the token, in any log line of the whole run", () => {
    expect(bot.logs.length).toBeGreaterThan(50);
    expect(bot.output).not.toContain(token);
  });
});

describe("shutdown under load", () => {
  it("answers the 100 questions in flight at SIGTERM, then exits 0", async () => {
    const users = Array.from({ length: 25 }, () => defaultUser());
    const inFlight = Array.from({ length: 100 }, (_, i) =>
      send("how long was the summit", users[i % users.length]),
    );
    await fake.waitFor(() => inFlight.every((h) => h.delivered), 10_000, "delivery");
    bot.child.kill("SIGTERM");
    const replies = await Promise.all(inFlight.map((h) => h.waitForVisibleReply(15_000)));
    for (const reply of replies) expect(passage(reply)).toContain("90-minute");
    expect((await bot.exited).code).toBe(0);
  }, 30_000);
});
