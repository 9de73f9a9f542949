import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { DiscordAPIError, HTTPError, REST, Routes } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, REDACTED } from "../src/log.js";

// Token-shaped values, unique per run, so that finding one in a line is never a coincidence.
const botToken = `${Buffer.from("123456789012345678").toString("base64")}.${randomBytes(4).toString("hex")}.${randomBytes(20).toString("hex")}`;
const interactionToken = `aW50ZXJhY3Rpb246${randomBytes(48).toString("hex")}`;
const interactionId = "1300000000000000001";
const applicationId = "1200000000000000002";
const replyText = `the reply the bot tried to send ${randomBytes(6).toString("hex")}`;

/** A logger writing into an array of lines, as the bot's logger (the bot token is its secret). */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level: "debug", secrets: [botToken], destination });
  const flush = () => new Promise<string[]>((resolve) => setImmediate(() => resolve(lines)));
  return { log, flush };
}

function expectNoCredential(lines: string[]) {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line).not.toContain(botToken);
    expect(line).not.toContain(interactionToken);
    expect(line).not.toContain(replyText);
  }
}

/**
 * A Discord-compatible endpoint on 127.0.0.1 that fails every request: 500 for the
 * interaction callback and follow-ups, 401 elsewhere. Its error messages repeat the
 * Authorization header and the path, as a hostile or broken server might.
 */
let server: Server;
let api: string;
beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on("end", () => {
      const echoed = `${request.headers.authorization ?? "no auth"} ${request.url}`;
      const status = /\/(callback|webhooks\/)/.test(request.url ?? "") ? 500 : 401;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: `refused: ${echoed}`, code: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function rest() {
  return new REST({ api, retries: 0, timeout: 5_000 }).setToken(botToken);
}

/** The error discord.js's REST client throws for a request, or fails the test. */
async function restError(call: (r: REST) => Promise<unknown>): Promise<Error> {
  try {
    await call(rest());
  } catch (error) {
    return error as Error;
  }
  throw new Error("the request was expected to fail");
}

describe("the logger keeps credentials out of every line", () => {
  it("redacts the interaction token from a failed callback's HTTPError (500), as the router logs it", async () => {
    const error = await restError((r) =>
      r.post(Routes.interactionCallback(interactionId, interactionToken), {
        body: { type: 4, data: { content: replyText } },
        auth: false,
      }),
    );
    expect(error).toBeInstanceOf(HTTPError);
    expect(JSON.stringify(error)).toContain(interactionToken);

    const { log, flush } = capture();
    log.error({ err: error, interaction: interactionId, type: 2 }, "could not deliver a reply");
    const lines = await flush();
    expectNoCredential(lines);
    const line = JSON.parse(lines[0] as string);
    expect(line.err.url).toContain(`/interactions/${interactionId}/${REDACTED}/callback`);
    expect(line.err.status).toBe(500);
    expect(line.err.requestBody).toBe(REDACTED);
    expect(line.interaction).toBe(interactionId);
  });

  it("redacts the bot token and a webhook token from a DiscordAPIError's message and URL", async () => {
    const error = await restError((r) =>
      r.patch(Routes.webhookMessage(applicationId, interactionToken, "@original"), {
        body: { content: replyText },
      }),
    );
    // A 500 on a follow-up: discord.js gives up after the retries set (none here).
    expect(error).toBeInstanceOf(HTTPError);
    const denied = await restError((r) => r.get(Routes.channel(interactionId)));
    expect(denied).toBeInstanceOf(DiscordAPIError);
    expect(denied.message).toContain(botToken);

    const { log, flush } = capture();
    log.error({ err: error }, "could not edit the reply");
    log.error({ err: denied }, "request refused");
    const lines = await flush();
    expectNoCredential(lines);
    expect(JSON.parse(lines[0] as string).err.url).toContain(
      `/webhooks/${applicationId}/${REDACTED}/messages/%40original`,
    );
    expect(JSON.parse(lines[1] as string).err.message).toContain(`refused: Bot ${REDACTED}`);
  });

  it("redacts errors however they are passed: alone, nested, as a cause, in an array, as the message", async () => {
    const callback = await restError((r) =>
      r.post(Routes.interactionCallback(interactionId, interactionToken), {
        body: { type: 4, data: { content: replyText } },
      }),
    );
    const denied = await restError((r) => r.get(Routes.user("@me")));
    const wrapped = new Error(`delivery failed: ${denied.message}`, { cause: callback });
    const { log, flush } = capture();
    log.error(callback);
    log.error(wrapped);
    log.warn({ context: { attempt: 2, error: callback, errors: [denied, callback] } }, "retrying");
    log.warn({ url: (callback as HTTPError).url, token: interactionToken }, "plain fields");
    log.info({ interaction: { id: interactionId, token: interactionToken } }, "received");
    log.error(`could not reach ${(callback as HTTPError).url} with ${botToken}`);
    log.error({ requestBody: { json: { content: replyText } } }, "raw body");
    const lines = await flush();
    expect(lines).toHaveLength(7);
    expectNoCredential(lines);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines[1] as string).err.message).toContain(`Bot ${REDACTED}`);
  });

  it("keeps what is not a credential: ids, status codes, the route", async () => {
    const { log, flush } = capture();
    log.info(
      { url: "https://discord.com/api/v10/applications/1200000000000000002/commands", status: 200 },
      "deployed",
    );
    const [line] = await flush();
    expect(JSON.parse(line as string)).toMatchObject({
      url: "https://discord.com/api/v10/applications/1200000000000000002/commands",
      status: 200,
      msg: "deployed",
    });
  });
});
