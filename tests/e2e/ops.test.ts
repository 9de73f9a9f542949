/**
 * The health and metrics server of the real bot process (HTTP_PORT), against the local
 * endpoint: `/health` follows the gateway and the index (503 before the gateway is ready and
 * during an outage, 200 once ready or resumed), `/metrics` counts exactly what happened, and
 * neither ever shows a question, an id or the token.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminUser,
  defaultUser,
  type FakeDiscord,
  type FakeUser,
  startFakeDiscord,
} from "../../fake-discord/index.js";
import { Library } from "../../src/core/library.js";
import { type BotProcess, copySeeds, fakeToken, startBot } from "../support/bot-process.js";
import {
  get,
  grew,
  type HealthBody,
  health,
  healthBecomes,
  metrics,
  opsPort,
} from "../support/ops-client.js";

let fake: FakeDiscord;
let bot: BotProcess;
let seeds: { dir: string; remove: () => Promise<void> };
let token: string;
let port: number;
let beforeReady: { status: number; body: HealthBody };
let library: Library;
/** Every user that asked anything, to search the responses for their ids. */
const users: FakeUser[] = [];

const ask = (question: string) => {
  const user = defaultUser();
  users.push(user);
  return fake
    .sendCommand({ name: "ask", user, options: [{ name: "question", type: 3, value: question }] })
    .waitForVisibleReply(10_000);
};

beforeAll(async () => {
  // The gateway is held: the bot connects, gets no HELLO, and cannot be ready until released.
  fake = await startFakeDiscord({ holdGateway: true });
  seeds = await copySeeds();
  library = await Library.open(seeds.dir);
  token = fakeToken();
  bot = startBot({
    DISCORD_TOKEN: token,
    DISCORD_API_URL: fake.apiUrl,
    SEEDS_DIR: seeds.dir,
    HTTP_PORT: "0",
  });
  port = await opsPort(bot);
  await fake.waitFor(() => fake.heldConnections === 1, 30_000, "the bot's gateway connection");
  beforeReady = await health(port);
  fake.holdGateway(false);
  await fake.waitForReady({ timeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await fake?.close();
  await seeds?.remove();
});

describe("/health", () => {
  it("answers 503 while the gateway is not ready, saying so for the shard", () => {
    expect(beforeReady.status).toBe(503);
    expect(beforeReady.body.status).toBe("unavailable");
    expect(beforeReady.body.shards).toHaveLength(1);
    expect(beforeReady.body.shards[0]?.gateway.status).not.toBe("Ready");
  });

  it("answers 200 once the gateway is ready and the index loaded, with the shard's state", async () => {
    const body = await healthBecomes(port, 200);
    expect(body.status).toBe("ok");
    const [shard] = body.shards;
    expect(shard?.shard).toBe(0);
    expect(shard?.gateway.status).toBe("Ready");
    expect(shard?.index.loaded).toBe(true);
    expect(shard?.index.articles).toBe(library.snapshot.index.articles.length);
    expect(shard?.index.paragraphs).toBe(library.snapshot.index.passages.length);
    expect(Number.isNaN(Date.parse(shard?.index.loadedAt ?? ""))).toBe(false);
    expect(shard?.index.lastReload).toBeUndefined();
    expect(shard?.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it("answers 503 during a gateway outage and 200 again after the resume", async () => {
    await healthBecomes(port, 200);
    const resumes = fake.stats.resumes;
    fake.holdGateway(true);
    fake.dropGateway();
    await fake.waitFor(() => fake.heldConnections === 1, 20_000, "the bot reconnecting");
    const during = await health(port);
    expect(during.status).toBe(503);
    expect(during.body.shards[0]?.gateway.status).not.toBe("Ready");
    expect(during.body.shards[0]?.index.loaded).toBe(true);
    // A liveness probe must not restart a bot that is only reconnecting.
    expect((await get(port, "/health/live")).status).toBe(200);
    fake.holdGateway(false);
    await fake.waitFor(() => fake.stats.resumes > resumes, 20_000, "a resume");
    expect((await healthBecomes(port, 200)).shards[0]?.gateway.status).toBe("Ready");
  });

  it("reports the last reload with its outcome", async () => {
    await fake.sendCommand({ name: "reload", user: adminUser() }).waitForVisibleReply(30_000);
    const { body } = await health(port);
    expect(body.shards[0]?.index.lastReload?.outcome).toBe("reloaded");
    expect(body.shards[0]?.index.lastReload?.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe("/metrics", () => {
  it("is the Prometheus text format, with the process's default metrics", async () => {
    const answer = await get(port, "/metrics");
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.body).toMatch(/^# HELP summit_desk_interactions_total /m);
    expect(answer.body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(answer.body).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("counts three answered /ask, a decline by its reason, a REST error and a reload exactly", async () => {
    const decline = "how tall is Xi Jinping?";
    const reason = (await library.answer(decline)).reason;
    expect(reason).toBeDefined();
    const before = await metrics(port);

    for (let i = 0; i < 3; i++) {
      expect(
        JSON.stringify((await ask("how many agreements did the two countries sign")).embeds),
      ).toContain("15 agreements");
    }
    expect((await ask(decline)).embeds ?? []).toHaveLength(0);
    // One 500 on a reply: discord.js retries it, and the reply still arrives.
    fake.failNext({ method: "POST", path: /\/interactions\/\d+\/[^/]+\/callback/, status: 500 });
    await ask("how many agreements did the two countries sign");
    await fake.sendCommand({ name: "reload", user: adminUser() }).waitForVisibleReply(30_000);

    const after = await metrics(port);
    const answered = 'summit_desk_interactions_total{command="/ask",outcome="answered"}';
    expect(grew(before, after, answered)).toBe(5);
    expect(grew(before, after, `summit_desk_declines_total{reason="${reason}"}`)).toBe(1);
    const declinesAll = [...after.keys()].filter((k) => k.startsWith("summit_desk_declines_total"));
    expect(declinesAll.reduce((sum, k) => sum + grew(before, after, k), 0)).toBe(1);
    expect(grew(before, after, 'summit_desk_answer_seconds_count{command="/ask"}')).toBe(5);
    expect(
      grew(before, after, 'summit_desk_interaction_to_reply_seconds_count{command="/ask"}'),
    ).toBe(5);
    expect(grew(before, after, 'summit_desk_rest_errors_total{status="500"}')).toBe(1);
    expect(grew(before, after, 'summit_desk_reload_seconds_count{outcome="reloaded"}')).toBe(1);
    expect(
      grew(before, after, 'summit_desk_interactions_total{command="/reload",outcome="answered"}'),
    ).toBe(1);
    expect(after.get("summit_desk_index_articles")).toBe(library.snapshot.index.articles.length);
    expect(after.get("summit_desk_index_paragraphs")).toBe(library.snapshot.index.passages.length);
    // One outage so far (the test above): one reconnect.
    expect(after.get("summit_desk_gateway_reconnects_total")).toBe(1);
  });

  it("never contains a question, an id or the token; nor does /health", async () => {
    const markers = Array.from({ length: 3 }, () => `zq${randomBytes(6).toString("hex")}`);
    await ask(`what did ${markers[0]} say about the selfie`);
    await ask(`${markers[1]}`);
    await ask(`how many agreements did ${markers[2]} sign`);
    const texts = [(await get(port, "/metrics")).body, (await get(port, "/health")).body];
    const secrets = [
      ...markers,
      token,
      fake.applicationId,
      ...fake.guildIds,
      ...users.map((u) => u.id),
      ...fake.interactions.flatMap((i) => [i.id, i.token]),
    ];
    expect(secrets.length).toBeGreaterThan(10);
    for (const text of texts) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      // Not even a fragment of a question: label values are command names, outcomes, reasons.
      expect(text).not.toMatch(/selfie|agreements/i);
    }
  });
});

describe("the server itself", () => {
  it("answers /health/live with 200", async () => {
    const answer = await get(port, "/health/live");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: "live" });
  });

  it("answers 404 to any other path or method", async () => {
    for (const path of ["/", "/healthz", "/metrics/x", "/health/../metrics2", "/admin"]) {
      expect((await get(port, path)).status).toBe(404);
    }
    expect((await get(port, "/health", { method: "POST", body: "{}" })).status).toBe(404);
    expect((await get(port, "/metrics", { method: "DELETE" })).status).toBe(404);
  });

  it("refuses a body over 1 KB with 413", async () => {
    const answer = await get(port, "/health", { method: "POST", body: "x".repeat(4096) });
    expect(answer.status).toBe(413);
  });

  it("is closed with the bot on SIGTERM", async () => {
    const { code } = await bot.stop("SIGTERM");
    expect(code).toBe(0);
    await expect(get(port, "/health/live")).rejects.toThrow();
  });
});
