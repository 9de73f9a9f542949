import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  Routes,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import {
  adminUser,
  type FakeDiscord,
  type FakeDiscordOptions,
  guildIdForShard,
  shardForGuild,
  startFakeDiscord,
} from "../fake-discord/index.js";

const TOKEN = "fake-bot-token.summit-desk.0123456789";

/** A client with the inline handler; `errors` keeps what discord.js threw, for assertions. */
interface Bot {
  client: Client;
  errors: unknown[];
  seen: Interaction[];
}

const fakes: FakeDiscord[] = [];
const clients: Client[] = [];

afterEach(async () => {
  // Clients first: they close with 1000, then the fake can shut down without reconnect storms.
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function fake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const started = await startFakeDiscord({ heartbeatIntervalMs: 1_000, ...options });
  fakes.push(started);
  return started;
}

/** The kinds of handler a real bot has, each reduced to the discord.js call under test. */
function attachHandler(bot: Bot): void {
  bot.client.on(Events.InteractionCreate, async (interaction) => {
    bot.seen.push(interaction);
    try {
      if (interaction.isChatInputCommand()) {
        const text = interaction.options.getString("text") ?? "";
        switch (interaction.commandName) {
          case "ping": {
            const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
              new ButtonBuilder()
                .setCustomId("again")
                .setLabel("Again")
                .setStyle(ButtonStyle.Primary),
            );
            await interaction.reply({ content: `pong: ${text}`, components: [row] });
            break;
          }
          case "slow":
            await interaction.deferReply();
            await interaction.editReply(`slow: ${text}`);
            break;
          case "sleepy":
            await new Promise((resolve) => setTimeout(resolve, 300));
            await interaction.reply("too late");
            break;
          default:
            await interaction.reply(`unknown command ${interaction.commandName}`);
        }
      } else if (interaction.isAutocomplete()) {
        const typed = String(interaction.options.getFocused());
        await interaction.respond([
          { name: `${typed} summit`, value: `${typed}-summit` },
          { name: `${typed} trade`, value: `${typed}-trade` },
        ]);
      } else if (interaction.isButton()) {
        await interaction.update({
          content: `clicked ${interaction.customId} on ${interaction.message.id}`,
          components: [],
        });
      }
    } catch (error) {
      bot.errors.push(error);
    }
  });
}

function waitForClientReady(client: Client, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("clientReady not emitted in time")), timeoutMs);
    client.once(Events.ClientReady, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function startBot(target: FakeDiscord, options: Partial<ClientOptions> = {}): Promise<Bot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: target.apiUrl },
    ...options,
  });
  clients.push(client);
  const bot: Bot = { client, errors: [], seen: [] };
  attachHandler(bot);
  const ready = waitForClientReady(client);
  await client.login(TOKEN);
  await ready;
  return bot;
}

const textOption = (value: string) => [{ name: "text", type: 3, value }];

describe("fake Discord: login", () => {
  it("lets an unmodified discord.js client log in and become ready", async () => {
    const discord = await fake();
    const bot = await startBot(discord);

    expect(bot.client.user?.id).toBe(discord.botUserId);
    expect(bot.client.application?.id).toBe(discord.applicationId);
    expect(bot.client.guilds.cache.has(discord.guildId)).toBe(true);
    expect(discord.token).toBe(TOKEN);
    expect(discord.stats.identifies).toBe(1);

    // discord.js asks REST for the gateway only; the token goes in a Bot authorization header.
    expect(discord.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /gateway/bot"]);
    expect(discord.requests[0]?.headers.authorization).toBe(`Bot ${TOKEN}`);
    // Plain JSON frames: zlib-sync is not installed, so no compress parameter.
    expect(discord.gatewayConnections[0]?.url).toBe("/?v=10&encoding=json");
    const identify = discord.gatewayFrames.find(
      (f) => f.direction === "in" && (f.data as { op: number }).op === 2,
    );
    expect(identify?.data).toMatchObject({ d: { intents: 1, shard: [0, 1], compress: false } });
  });
});

describe("fake Discord: queued dispatch", () => {
  it("holds an interaction sent before any session and delivers it after READY", async () => {
    const discord = await fake();
    const handle = discord.sendCommand({ name: "ping", options: textOption("early") });
    expect(handle.delivered).toBe(false);

    await startBot(discord);

    expect((await handle.waitForVisibleReply()).content).toBe("pong: early");
    expect(handle.sentAt).toBeGreaterThan(handle.createdAt);
  });
});

describe("fake Discord: interactions", () => {
  it("delivers a slash command and records the reply callback", async () => {
    const discord = await fake();
    const bot = await startBot(discord);

    const handle = discord.sendCommand({ name: "ping", options: textOption("hello") });
    const reply = await handle.waitForVisibleReply();
    const response = await handle.waitForResponse();

    expect(reply.content).toBe("pong: hello");
    expect(reply.api.author).toMatchObject({ id: discord.botUserId, bot: true });
    expect(reply.id).toMatch(/^\d{17,19}$/);
    expect(response).toMatchObject({ status: 204, accepted: true, body: { type: 4 } });
    expect(response.query).toEqual({ with_response: "false" });
    expect(reply.at).toBeGreaterThanOrEqual(handle.sentAt);
    // Callbacks are sent without the bot token.
    const request = discord.requests.find((r) => r.path.endsWith("/callback"));
    expect(request?.headers.authorization).toBeUndefined();
    expect(bot.errors).toEqual([]);
  });

  it("answers autocomplete with choices", async () => {
    const discord = await fake();
    await startBot(discord);

    const handle = discord.sendAutocomplete({
      name: "ask",
      options: [{ name: "topic", type: 3, value: "xi", focused: true }],
    });
    const response = await handle.waitForResponse();

    expect(response.body.type).toBe(8);
    expect(response.body.data?.choices).toEqual([
      { name: "xi summit", value: "xi-summit" },
      { name: "xi trade", value: "xi-trade" },
    ]);
  });

  it("clicks a button on a recorded reply; update() is a type 7 callback", async () => {
    const discord = await fake();
    const bot = await startBot(discord);
    const first = await discord
      .sendCommand({ name: "ping", options: textOption("a") })
      .waitForVisibleReply();

    const click = discord.clickButton({ customId: "again", message: first, user: adminUser() });
    const updated = await click.waitForVisibleReply();

    expect((await click.waitForResponse()).body.type).toBe(7);
    expect(updated.id).toBe(first.id);
    expect(updated.content).toBe(`clicked again on ${first.id}`);
    expect(updated.components).toEqual([]);
    const seen = bot.seen.at(-1);
    expect(seen?.memberPermissions?.has("ManageGuild")).toBe(true);
    expect(seen?.memberPermissions?.has("Administrator")).toBe(false);
    expect(() => discord.clickButton({ customId: "nope", message: first })).toThrow(/no component/);
  });

  it("shows the edit after deferReply as the visible reply", async () => {
    const discord = await fake();
    await startBot(discord);

    const handle = discord.sendCommand({ name: "slow", options: textOption("later") });
    const response = await handle.waitForResponse();
    const visible = await handle.waitForVisibleReply();

    expect(response.body.type).toBe(5);
    expect(visible.source).toBe("edit");
    expect(visible.content).toBe("slow: later");
    expect(visible.at).toBeGreaterThanOrEqual(response.at);
    expect(handle.edits).toHaveLength(1);
  });

  it("rejects a second initial response with 40060", async () => {
    const discord = await fake();
    const bot = await startBot(discord);
    const handle = discord.sendCommand({ name: "ping", options: textOption("once") });
    await handle.waitForVisibleReply();

    // discord.js refuses a second reply() itself, so go through its REST client directly.
    const second = bot.client.rest.post(Routes.interactionCallback(handle.id, handle.token), {
      body: { type: 4, data: { content: "again" } },
      auth: false,
    });

    await expect(second).rejects.toMatchObject({ code: 40060, status: 400 });
    expect(handle.callbacks.map((c) => c.status)).toEqual([204, 400]);
    expect(handle.visibleReply?.content).toBe("pong: once");
  });

  it("rejects content over 2000 characters with 50035 and records it", async () => {
    const discord = await fake();
    const bot = await startBot(discord);

    const handle = discord.sendCommand({ name: "ping", options: textOption("x".repeat(2000)) });
    const response = await handle.waitForResponse();
    await handle.waitFor(() => bot.errors.length > 0);

    expect(response).toMatchObject({ status: 400, accepted: false, error: { code: 50035 } });
    expect(bot.errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(bot.errors[0]).toMatchObject({ code: 50035 });
    expect(discord.rejections).toContainEqual(
      expect.objectContaining({
        code: 50035,
        interactionId: handle.id,
        errors: {
          data: {
            content: { _errors: [expect.objectContaining({ code: "BASE_TYPE_MAX_LENGTH" })] },
          },
        },
      }),
    );
    expect(handle.visibleReply).toBeUndefined();
  });

  it("rejects an initial response after the deadline with 10062", async () => {
    const discord = await fake({ interactionDeadlineMs: 100 });
    const bot = await startBot(discord);

    const handle = discord.sendCommand({ name: "sleepy" });
    await handle.waitFor(() => bot.errors.length > 0);

    expect(bot.errors[0]).toMatchObject({ code: 10062, status: 404 });
  });
});

describe("fake Discord: REST", () => {
  it("records command registrations and rejects invalid ones with 50035", async () => {
    const discord = await fake();
    const bot = await startBot(discord);
    const commands = bot.client.application?.commands;
    if (!commands) throw new Error("client.application is not set after login");

    const global = await commands.set([{ name: "ask", description: "Ask about the summit" }]);
    await commands.set([{ name: "reindex", description: "Admin only" }], discord.guildId);
    const invalid = commands.set([{ name: "Bad Name", description: "x" }]);

    await expect(invalid).rejects.toMatchObject({ code: 50035 });
    expect(discord.commandRegistrations.map((r) => r.scope)).toEqual([
      "global",
      { guildId: discord.guildId },
    ]);
    // Interactions for a registered command carry its id.
    const handle = discord.sendCommand({ name: "ask" });
    await handle.waitForVisibleReply();
    expect((handle.payload.data as { id: string }).id).toBe(global.first()?.id);
  });

  it("injects faults: a 500 is retried at once; a lost callback response makes the retry hit 40060", async () => {
    const discord = await fake();
    const bot = await startBot(discord);

    discord.failNext({ method: "POST", path: /\/callback$/, status: 500 });
    const retried = discord.sendCommand({ name: "ping", options: textOption("retry") });
    expect((await retried.waitForVisibleReply()).content).toBe("pong: retry");
    const statuses = discord.requests
      .filter((r) => r.path.endsWith("/callback"))
      .map((r) => r.status);
    expect(statuses).toEqual([500, 204]);

    discord.failNext({ method: "POST", path: /\/callback$/, dropResponse: true });
    const lost = discord.sendCommand({ name: "ping", options: textOption("lost") });
    await lost.waitFor(() => bot.errors.length > 0);
    // The user saw the reply, yet the bot's reply() rejected.
    expect(lost.visibleReply?.content).toBe("pong: lost");
    expect(bot.errors[0]).toMatchObject({ code: 40060 });
  });

  it("posts channel messages the bot may send, holds them, and refuses what Discord refuses", async () => {
    const discord = await fake();
    const bot = await startBot(discord);
    const channelId = discord.sendCommand({ name: "ping" }).payload.channel_id as string;
    const posted = (await bot.client.rest.post(Routes.channelMessages(channelId), {
      body: { content: "late answer", allowed_mentions: { parse: [] } },
    })) as { id: string; channel_id: string; type: number };
    expect(posted).toMatchObject({ channel_id: channelId, type: 0 });
    expect(discord.channelMessages.map((m) => [m.id, m.source, m.content])).toEqual([
      [posted.id, "channel", "late answer"],
    ]);
    const held = discord.heldMessages(channelId).find((m) => m.id === posted.id);
    expect(held).toMatchObject({ interactionId: undefined, ephemeral: false });

    const unknown = bot.client.rest.post(Routes.channelMessages("123456789012345678"), {
      body: { content: "x" },
    });
    await expect(unknown).rejects.toMatchObject({ code: 10003, status: 404 });
    const empty = bot.client.rest.post(Routes.channelMessages(channelId), {
      body: { content: "" },
    });
    await expect(empty).rejects.toMatchObject({ code: 50006 });

    const mute = await fake({ appPermissions: 1n << 10n });
    const muted = await startBot(mute);
    const muteChannel = mute.sendCommand({ name: "ping" }).payload.channel_id as string;
    const refused = muted.client.rest.post(Routes.channelMessages(muteChannel), {
      body: { content: "x" },
    });
    await expect(refused).rejects.toMatchObject({ code: 50013, status: 403 });
    expect(mute.channelMessages).toEqual([]);
  });

  it("answers a 429 as Discord does: Retry-After, X-RateLimit-Scope, retry_after in the body", async () => {
    const discord = await fake();
    discord.failNext({ path: /^\/gateway$/, status: 429, retryAfterSeconds: 7, scope: "shared" });
    const response = await fetch(`${discord.apiUrl}/v10/gateway`);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("x-ratelimit-scope")).toBe("shared");
    expect(response.headers.get("x-ratelimit-global")).toBeNull();
    expect(await response.json()).toEqual({
      message: "You are being rate limited.",
      retry_after: 7,
      global: false,
    });
  });
});

describe("fake Discord: gateway faults", () => {
  it("resumes after close 4000 and answers a command sent during the outage", async () => {
    const discord = await fake();
    await startBot(discord);

    discord.closeGateway(4000);
    const handle = discord.sendCommand({ name: "ping", options: textOption("outage") });
    expect(handle.delivered).toBe(false);
    const reply = await handle.waitForVisibleReply();

    expect(reply.content).toBe("pong: outage");
    expect(discord.stats).toMatchObject({ identifies: 1, resumes: 1, connections: 2 });
    // discord.js resumes at READY.resume_gateway_url, i.e. back here.
    expect(discord.gatewayConnections[1]?.url).toBe("/?v=10&encoding=json");
  });

  it("resumes after the connection drops without a close frame", async () => {
    const discord = await fake();
    await startBot(discord);

    discord.dropGateway();
    const handle = discord.sendCommand({ name: "ping", options: textOption("dropped") });

    expect((await handle.waitForVisibleReply()).content).toBe("pong: dropped");
    expect(discord.stats).toMatchObject({ identifies: 1, resumes: 1 });
  });

  it("resumes when heartbeats stop being acknowledged", async () => {
    const discord = await fake({ heartbeatIntervalMs: 200 });
    await startBot(discord);

    discord.setHeartbeatAcks(false);
    await discord.waitFor(
      () => discord.stats.resumeAttempts > 0,
      3_000,
      "a zombie-connection resume",
    );
    discord.setHeartbeatAcks(true);
    await discord.waitForReady();

    expect((await discord.sendCommand({ name: "ping" }).waitForVisibleReply()).content).toBe(
      "pong: ",
    );
    expect(discord.stats.identifies).toBe(1);
  });

  it("identifies again after a non-resumable invalid session", async () => {
    const discord = await fake();
    // discord.js holds a second IDENTIFY until 5 s after the first, as Discord's identify limit
    // asks; this endpoint does not enforce that limit, so the client here identifies when it
    // is ready to, and the test does not wait out the 5 s (the real bot's wait with its own
    // throttler is in tests/e2e/faults.test.ts).
    const identifies: number[] = [];
    const bot = await startBot(discord, {
      ws: {
        buildIdentifyThrottler: () => ({
          waitForIdentify: async (shardId: number) => {
            identifies.push(shardId);
          },
        }),
      },
    });

    discord.invalidateSession(false);
    // discord.js waits 500 ms (+ up to 1.5 s) before it identifies again.
    await discord.waitForReady({ timeoutMs: 9_000 });
    const handle = discord.sendCommand({ name: "ping", options: textOption("fresh") });

    expect((await handle.waitForVisibleReply()).content).toBe("pong: fresh");
    expect(discord.stats).toMatchObject({ identifies: 2, resumes: 0 });
    expect(identifies).toEqual([0, 0]);
    expect(bot.errors).toEqual([]);
  }, 15_000);
});

describe("fake Discord: sharding", () => {
  it("routes each guild's interactions to its own shard of one client", async () => {
    const guilds = [guildIdForShard(0, 2), guildIdForShard(1, 2)];
    const discord = await fake({ shards: 2, guildIds: guilds });
    const bot = await startBot(discord, { shards: [0, 1] });
    await discord.waitForReady({ shards: 2 });

    const handles = guilds.map((guildId) => discord.sendCommand({ name: "ping", guildId }));
    await Promise.all(handles.map((h) => h.waitForVisibleReply()));

    expect(handles.map((h) => h.shard)).toEqual([0, 1]);
    for (const [index, guildId] of guilds.entries()) {
      expect(shardForGuild(guildId, 2)).toBe(index);
      const received = bot.seen.find((i) => i.guildId === guildId);
      expect(received?.guild?.shardId).toBe(index);
      const frame = discord.gatewayFrames.find(
        (f) =>
          f.direction === "out" && (f.data as { d?: { id?: string } }).d?.id === handles[index]?.id,
      );
      expect(frame?.shard).toBe(index);
    }
  });

  it("serves two processes that each identify one shard", async () => {
    const guilds = [guildIdForShard(0, 2), guildIdForShard(1, 2)];
    const discord = await fake({ shards: 2, guildIds: guilds });
    // shardCount must be given: with shards: [1] alone discord.js would identify as [1, 1].
    const [first, second] = await Promise.all([
      startBot(discord, { shards: [0], shardCount: 2 }),
      startBot(discord, { shards: [1], shardCount: 2 }),
    ]);

    await discord.sendCommand({ name: "ping", guildId: guilds[1] }).waitForVisibleReply();

    expect(first?.seen).toHaveLength(0);
    expect(second?.seen).toHaveLength(1);
    expect(discord.stats.identifies).toBe(2);
  });
});
