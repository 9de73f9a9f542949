/**
 * The REST API (v10) as the bot calls it: the bot token checked on every request, bodies read
 * up to Discord's size limit, every request recorded, faults applied first, then the routes a
 * discord.js client uses (gateway info, the application, users, command registration,
 * interaction callbacks, webhooks, channel messages), answering with Discord's status codes and error bodies.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type {
  DiscordErrorBody,
  FakeDiscord,
  FakeDiscordOptions,
  RecordedRejection,
  RecordedRequest,
} from "./api.js";
import { FaultInjection } from "./faults.js";
import {
  isRecord,
  type Json,
  MAX_BODY_BYTES,
  type RegisteredCommand,
  type Reply,
} from "./internal.js";
import { makeSnowflake } from "./model.js";
import { validateCommandList } from "./validation.js";

class FakeDiscordServer extends FaultInjection implements FakeDiscord {
  /** The body, or undefined when it is over Discord's upload limit. Rejects if the client aborts. */
  protected async readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }

  protected async parseBody(
    raw: Buffer,
    contentType: string | undefined,
    rec: RecordedRequest,
  ): Promise<unknown> {
    if (raw.length === 0) return undefined;
    const type = contentType ?? "";
    if (type.startsWith("multipart/form-data")) {
      const form = await new Response(raw, { headers: { "content-type": type } }).formData();
      const files: string[] = [];
      let payload: unknown;
      for (const [key, value] of form.entries()) {
        if (key === "payload_json" && typeof value === "string") payload = JSON.parse(value);
        else if (typeof value !== "string") files.push(value.name);
      }
      rec.files = files;
      return payload;
    }
    const text = raw.toString("utf8");
    if (type.startsWith("application/json")) {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    return text;
  }

  protected async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let pathname = url.pathname;
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // Malformed escapes: keep the raw path, the router will answer 404.
    }
    const path = pathname.startsWith("/api/v10/") ? pathname.slice("/api/v10".length) : pathname;
    const rec: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      at,
    };
    this.requests.push(rec);
    let raw: Buffer | undefined;
    try {
      raw = await this.readBody(req);
    } catch {
      res.destroy();
      return;
    }
    if (raw === undefined) {
      rec.status = 413;
      this.writeReply(res, {
        status: 413,
        body: { message: "Request entity too large", code: 40005 },
      });
      return;
    }
    try {
      rec.body = await this.parseBody(raw, req.headers["content-type"], rec);
    } catch {
      rec.body = raw.toString("utf8");
    }

    const fault = this.takeFault(method, path);
    if (fault?.delayMs) {
      rec.fault = "delay";
      await this.sleep(fault.delayMs);
    }
    if (this.closed) {
      res.destroy();
      return;
    }
    let reply: Reply;
    if (fault && !fault.dropResponse && (fault.status !== undefined || !fault.delayMs)) {
      rec.fault = "status";
      reply = this.faultReply(fault);
    } else {
      try {
        reply = this.route(method, path, url.searchParams, rec.body, req.headers);
      } catch (error) {
        reply = { status: 500, body: { message: `fake-discord error: ${String(error)}`, code: 0 } };
      }
    }
    if (
      reply.status >= 400 &&
      rec.fault !== "status" &&
      isRecord(reply.body) &&
      typeof reply.body.code === "number"
    ) {
      const body = reply.body as unknown as DiscordErrorBody;
      const rejection: RecordedRejection = {
        method,
        path,
        status: reply.status,
        code: body.code,
        message: body.message,
        at: performance.now(),
      };
      if (body.errors !== undefined) rejection.errors = body.errors;
      const it = this.interactionFromPath(path);
      if (it) {
        rejection.interactionId = it.id;
        it.rejections.push(rejection);
      }
      this.rejections.push(rejection);
    }
    if (fault?.dropResponse) {
      rec.fault = "drop";
      this.notify();
      // A RST rather than a FIN, as when a proxy or the network loses the answer.
      req.socket.resetAndDestroy();
      return;
    }
    rec.status = reply.status;
    // The client may have given up (its 15 s timeout) while a delay fault held the request;
    // the request still took effect, as it would at Discord, but nobody is left to answer.
    if (!res.destroyed && !req.socket.destroyed) this.writeReply(res, reply);
    this.notify();
  }

  protected authorized(headers: IncomingHttpHeaders): boolean {
    const header = headers.authorization;
    if (typeof header !== "string" || !header.startsWith("Bot ")) return false;
    return this.tokenAccepted(header.slice(4));
  }

  protected route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    headers: IncomingHttpHeaders,
  ): Reply {
    const unauthorized = () => this.error(401, 0, "401: Unauthorized");
    if (path === "/gateway" && method === "GET") {
      return { status: 200, body: { url: this.gatewayUrl } };
    }
    if (path === "/gateway/bot" && method === "GET") {
      if (!this.authorized(headers)) return unauthorized();
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: this.options.shards,
          session_start_limit: {
            total: 1000,
            remaining: Math.max(0, 1000 - this.stats.identifies),
            reset_after: 86_400_000,
            max_concurrency: this.options.maxConcurrency,
          },
        },
      };
    }
    if (path === "/users/@me" && method === "GET") {
      return this.authorized(headers) ? { status: 200, body: this.botUser() } : unauthorized();
    }
    const user = /^\/users\/(\d+)$/.exec(path);
    if (user && method === "GET") {
      if (!this.authorized(headers)) return unauthorized();
      const id = user[1] as string;
      const found = id === this.botUserId ? this.botUser() : this.knownUsers.get(id);
      return found ? { status: 200, body: found } : this.error(404, 10013, "Unknown User");
    }
    if ((path === "/applications/@me" || path === "/oauth2/applications/@me") && method === "GET") {
      return this.authorized(headers) ? { status: 200, body: this.application() } : unauthorized();
    }
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commands && (method === "GET" || method === "PUT")) {
      if (!this.authorized(headers)) return unauthorized();
      return this.onCommands(method, commands[1] as string, commands[2], body);
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback && method === "POST") {
      return this.onCallback(callback[1] as string, callback[2] as string, query, body);
    }
    const webhookMessage = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(path);
    if (webhookMessage && (method === "GET" || method === "PATCH" || method === "DELETE")) {
      return this.onWebhookMessage(
        method,
        webhookMessage[1] as string,
        webhookMessage[2] as string,
        webhookMessage[3] as string,
        body,
      );
    }
    const channelMessage = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (channelMessage && method === "POST") {
      if (!this.authorized(headers)) return unauthorized();
      return this.onChannelMessage(channelMessage[1] as string, body);
    }
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
    if (webhook && method === "POST") {
      return this.onFollowUp(webhook[1] as string, webhook[2] as string, query, body);
    }
    return this.error(404, 0, "404: Not Found");
  }

  protected onCommands(
    method: string,
    appId: string,
    guildId: string | undefined,
    body: unknown,
  ): Reply {
    if (appId !== this.applicationId) return this.error(404, 10002, "Unknown Application");
    if (guildId !== undefined && !this.guildIds.includes(guildId))
      return this.error(403, 50001, "Missing Access");
    const key = guildId ?? "global";
    if (method === "GET") return { status: 200, body: this.commands.get(key) ?? [] };
    const issues = validateCommandList(body);
    if (issues.length > 0) return this.error(400, 50035, "Invalid Form Body", issues);
    const previous = this.commands.get(key) ?? [];
    const list = (body as Json[]).map((command): RegisteredCommand => {
      const type = typeof command.type === "number" ? command.type : 1;
      const name = command.name as string;
      // Discord keeps a command's id when a bulk overwrite still contains its name and type.
      const kept = previous.find((c) => c.name === name && c.type === type);
      return {
        description: "",
        options: [],
        default_member_permissions: null,
        nsfw: false,
        contexts: null,
        integration_types: [0],
        ...command,
        id: kept?.id ?? makeSnowflake(),
        application_id: this.applicationId,
        version: makeSnowflake(),
        type,
        name,
        ...(guildId ? { guild_id: guildId } : {}),
      };
    });
    this.commands.set(key, list);
    this.commandRegistrations.push({
      scope: guildId ? { guildId } : "global",
      body: structuredClone(body),
    });
    return { status: 200, body: list };
  }
}

/**
 * Starts the fake on 127.0.0.1 with an ephemeral port. Close it with `close()` (idempotent),
 * after destroying the clients that use it.
 */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscordServer(options);
  await fake.listen();
  return fake;
}
