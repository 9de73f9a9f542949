/**
 * Deferred replies whose edit or follow-up is rate limited: the real discord.js client, with
 * the bot's client options, and the bot's router, against the local endpoint. The commands
 * are fixtures that take longer than the direct-reply window, as `/reload` and `/add-article`
 * do, so that every reply goes through a deferral; one of them is public, which no command of
 * the bot is.
 */
import { Writable } from "node:stream";
import { Client, Events } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultUser,
  type FakeDiscord,
  type FakeUser,
  startFakeDiscord,
} from "../../fake-discord/index.js";
import { clientOptions } from "../../src/discord/bot.js";
import { Router } from "../../src/discord/router.js";
import { type Command, type CommandDesk, UserError } from "../../src/interactions/command.js";
import { Cooldown } from "../../src/interactions/cooldown.js";
import { Dispatcher } from "../../src/interactions/dispatch.js";
import { AnswerSessions } from "../../src/interactions/sessions.js";
import { createLogger } from "../../src/log.js";

const TOKEN = "fake-bot-token.summit-desk.late-replies";
const EPHEMERAL = 1 << 6;

function fixture(name: string, run: () => Promise<void>, ephemeral = false): Command {
  return {
    data: { name, description: `fixture ${name}` },
    slow: true,
    ephemeral: () => ephemeral,
    async execute() {
      await run();
      return { title: `Digest for ${name}`, notes: ["All five outlets agree."] };
    },
  };
}

const nothing = async () => undefined;
const refuse = async () => {
  throw new UserError("fixture", "That digest is not ready.");
};
const COMMANDS = new Map<string, Command>([
  ["digest", fixture("digest", nothing)],
  ["memo", fixture("memo", nothing, true)],
  // A public deferral whose outcome is a problem: shown privately, as a follow-up.
  ["refused", fixture("refused", refuse)],
]);

const lines: Array<Record<string, unknown>> = [];
let fake: FakeDiscord;
let client: Client;

beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000 });
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n"))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger({ level: "info", destination });
  const dispatcher = new Dispatcher({
    commands: COMMANDS,
    // The fixtures never read the index.
    desk: {} as CommandDesk,
    sessions: new AnswerSessions(),
    cooldown: new Cooldown(1000, 1000),
    log,
  });
  const router = new Router(dispatcher, { userIds: [], roleIds: [] }, log);
  client = new Client(clientOptions({ apiUrl: fake.apiUrl, isShardProcess: false }));
  client.on(Events.InteractionCreate, (interaction) => router.handle(interaction));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(TOKEN);
  await ready;
}, 30_000);

afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

const EDIT = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const FOLLOW_UP = /^\/webhooks\/\d+\/[^/]+$/;

/** Requests the bot made for one interaction's webhook on a route. */
function webhookRequests(token: string, method: string, path: RegExp) {
  return fake.requests.filter(
    (r) => r.method === method && path.test(r.path) && r.path.includes(`/${token}`),
  );
}

/** Channel posts and interaction messages held now that carry this digest. */
function copies(name: string, interactionId: string) {
  return fake
    .heldMessages()
    .filter(
      (m) =>
        m.interactionId === interactionId ||
        (m.interactionId === undefined && String(m.api.content).includes(`Digest for ${name}`)),
    );
}

function send(name: string, user: FakeUser = defaultUser()) {
  return fake.sendCommand({ name, user });
}

describe("an edit of a deferred public reply, rate limited", () => {
  it("edits the reply in place, once, after a Retry-After within the wait allowed", async () => {
    fake.failNext({ method: "PATCH", path: EDIT, status: 429, retryAfterSeconds: 1 });
    const posted = fake.channelMessages.length;
    const handle = send("digest");
    const reply = await handle.waitForVisibleReply(10_000);
    expect(reply.source).toBe("edit");
    expect(reply.content).toContain("All five outlets agree.");
    expect(webhookRequests(handle.token, "PATCH", EDIT).map((r) => r.status)).toEqual([429, 200]);
    expect(fake.channelMessages.length).toBe(posted);
    expect(copies("digest", handle.id)).toHaveLength(1);
  });

  it("posts it in the channel, once, saying it is late, and removes the placeholder, when the Retry-After is longer", async () => {
    fake.failNext({ method: "PATCH", path: EDIT, status: 429, retryAfterSeconds: 60 });
    const user = { ...defaultUser(), username: "late-digest-reader" };
    const handle = send("digest", user);
    await fake.waitFor(
      () => fake.channelMessages.some((m) => m.content?.includes("late-digest-reader")),
      10_000,
      "the late reply in the channel",
    );
    const late = fake.channelMessages.find((m) => m.content?.includes("late-digest-reader"));
    expect(late?.content?.split("\n")).toEqual([
      "⏱ Late reply for late-digest-reader: Discord held back my answer to your /digest, so it is here instead.",
      "Digest for digest",
      "All five outlets agree.",
    ]);
    expect(late?.content).toContain("All five outlets agree.");
    expect(late?.allowed_mentions).toEqual({
      parse: [],
      users: [],
      roles: [],
      replied_user: false,
    });
    await handle.waitFor(() => copies("digest", handle.id).length === 1, 5_000);
    expect(copies("digest", handle.id).map((m) => m.interactionId)).toEqual([undefined]);
    // Given up at the first 429: no retry is waiting to post a second copy.
    expect(webhookRequests(handle.token, "PATCH", EDIT).map((r) => r.status)).toEqual([429]);
    expect(handle.edits).toEqual([]);
  });

  it("logs a clear line when the channel will not take the late reply either", async () => {
    fake.failNext({ method: "PATCH", path: EDIT, status: 429, retryAfterSeconds: 60 });
    fake.failNext({
      method: "POST",
      path: /^\/channels\/\d+\/messages$/,
      status: 403,
      body: { message: "Missing Permissions", code: 50013 },
    });
    const posted = fake.channelMessages.length;
    const handle = send("digest");
    await fake.waitFor(
      () => lines.some((l) => l.msg === "could not deliver a reply" && l.interaction === handle.id),
      10_000,
      "the log line",
    );
    expect(fake.channelMessages.length).toBe(posted);
    expect(handle.edits).toEqual([]);
  });
});

describe("a private reply after a deferral, rate limited", () => {
  it("sends the follow-up once after a short Retry-After", async () => {
    fake.failNext({ method: "POST", path: FOLLOW_UP, status: 429, retryAfterSeconds: 1 });
    const handle = send("refused");
    await handle.waitFor(() => handle.followUps.length > 0, 10_000);
    expect(handle.followUps.map((m) => [m.content, (m.flags ?? 0) & EPHEMERAL])).toEqual([
      ["That digest is not ready.", EPHEMERAL],
    ]);
    expect(webhookRequests(handle.token, "POST", FOLLOW_UP).map((r) => r.status)).toEqual([
      429, 200,
    ]);
  });

  it("never posts a private reply in the channel: logs it as not delivered", async () => {
    const posted = fake.channelMessages.length;
    fake.failNext({ method: "POST", path: FOLLOW_UP, status: 429, retryAfterSeconds: 60 });
    const refused = send("refused");
    fake.failNext({ method: "PATCH", path: EDIT, status: 429, retryAfterSeconds: 60 });
    const memo = send("memo");
    await fake.waitFor(
      () =>
        [refused, memo].every((h) =>
          lines.some(
            (l) =>
              l.interaction === h.id &&
              String(l.msg).startsWith("private reply not delivered") &&
              l.level === 40,
          ),
        ),
      10_000,
      "both log lines",
    );
    expect(fake.channelMessages.length).toBe(posted);
    expect(refused.followUps).toEqual([]);
    expect(memo.edits).toEqual([]);
  });
});
