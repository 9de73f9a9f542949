/**
 * The gateway: WebSocket sessions as Discord runs them. HELLO with a heartbeat interval,
 * IDENTIFY (token, intents, shard) answered with READY and a GUILD_CREATE per guild of the
 * shard, heartbeats and their ACKs, RESUME with replay of the dispatches missed (or INVALID
 * SESSION when the session cannot be resumed), and the faults a gateway has: closes with a
 * code, dropped connections, RECONNECT requests, invalidated sessions, missing ACKs, and a
 * gateway that accepts connections but says nothing (held: no HELLO until released).
 */

import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type RawData, WebSocket } from "ws";
import { EndpointBase } from "./base.js";
import {
  type Connection,
  type DispatchEntry,
  isRecord,
  type Json,
  MAX_BUFFERED_DISPATCHES,
  memberPayload,
  permissionString,
  rawToString,
  SESSION_ENDING_CLOSE_CODES,
  type Session,
} from "./internal.js";
import type { FakeUser } from "./model.js";
import {
  DEFAULT_APP_PERMISSIONS,
  DEFAULT_MEMBER_PERMISSIONS,
  makeSnowflake,
  shardForGuild,
} from "./model.js";

export abstract class GatewaySessions extends EndpointBase {
  /** Connections waiting for their HELLO while the gateway is held. */
  readonly #waitingForHello = new Set<Connection>();
  #held = this.options.holdGateway;

  // ----- gateway -------------------------------------------------------------------------------

  protected onConnection(socket: WebSocket, req: IncomingMessage): void {
    const conn: Connection = { id: this.nextConnectionId++, socket, session: undefined };
    if (this.closed) {
      socket.terminate();
      return;
    }
    this.connections.add(conn);
    this.stats.connections++;
    const url = req.url ?? "/";
    this.gatewayConnections.push({ id: conn.id, url, at: performance.now() });
    socket.on("message", (raw) => this.onGatewayMessage(conn, raw));
    socket.on("error", () => undefined);
    socket.on("close", (code) => this.onGatewayClose(conn, code));

    const query = new URL(url, "http://127.0.0.1").searchParams;
    if (query.get("v") !== "10") {
      socket.close(4012, "Invalid API version");
      return;
    }
    if ((query.get("encoding") ?? "json") !== "json") {
      socket.close(4002, "Only encoding=json is supported by the fake");
      return;
    }
    if (query.has("compress")) {
      // Unrecoverable code on purpose: zlib-stream is not implemented, retrying would loop.
      socket.close(4012, "compress=zlib-stream is not supported by the fake");
      return;
    }
    if (this.#held) this.#waitingForHello.add(conn);
    else this.sendHello(conn);
    this.notify();
  }

  protected sendHello(conn: Connection): void {
    this.send(conn, {
      op: 10,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ["fake-discord-gateway"] },
      s: null,
      t: null,
    });
  }

  holdGateway(held: boolean): void {
    this.#held = held;
    if (held) return;
    for (const conn of this.#waitingForHello) this.sendHello(conn);
    this.#waitingForHello.clear();
    this.notify();
  }

  get heldConnections(): number {
    return [...this.#waitingForHello].filter((c) => c.socket.readyState === WebSocket.OPEN).length;
  }

  protected onGatewayClose(conn: Connection, code: number): void {
    this.connections.delete(conn);
    this.#waitingForHello.delete(conn);
    const session = conn.session;
    if (session && session.conn === conn) {
      session.conn = undefined;
      session.live = false;
      if (SESSION_ENDING_CLOSE_CODES.has(code)) this.invalidate(session);
    }
    this.notify();
  }

  protected send(conn: Connection, payload: Json): boolean {
    if (conn.socket.readyState !== WebSocket.OPEN) return false;
    conn.socket.send(JSON.stringify(payload));
    this.gatewayFrames.push({
      direction: "out",
      data: payload,
      shard: conn.session?.shardId ?? -1,
      connection: conn.id,
      at: performance.now(),
    });
    return true;
  }

  protected onGatewayMessage(conn: Connection, raw: RawData): void {
    const text = rawToString(raw);
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = text;
    }
    this.gatewayFrames.push({
      direction: "in",
      data: payload,
      shard: conn.session?.shardId ?? -1,
      connection: conn.id,
      at: performance.now(),
    });
    if (!isRecord(payload)) {
      conn.socket.close(4002, "Error while decoding payload.");
      return;
    }
    const d = isRecord(payload.d) ? payload.d : {};
    switch (payload.op) {
      case 1:
        this.stats.heartbeats++;
        if (this.heartbeatAcks) this.send(conn, { op: 11, d: null, s: null, t: null });
        break;
      case 2:
        this.onIdentify(conn, d);
        break;
      case 6:
        this.onResume(conn, d);
        break;
      default:
        // Presence updates, member requests, voice: recorded above, otherwise ignored.
        break;
    }
    this.notify();
  }

  protected tokenAccepted(token: unknown): token is string {
    if (typeof token !== "string" || token.length === 0) return false;
    return this.options.token === undefined || token === this.options.token;
  }

  protected onIdentify(conn: Connection, d: Json): void {
    if (conn.session && !conn.session.invalid) {
      conn.socket.close(4005, "Already authenticated.");
      return;
    }
    if (!this.tokenAccepted(d.token)) {
      conn.socket.close(4004, "Authentication failed.");
      return;
    }
    const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
    const [shardId, shardCount] = shard as [unknown, unknown];
    if (
      typeof shardId !== "number" ||
      typeof shardCount !== "number" ||
      !Number.isInteger(shardId) ||
      !Number.isInteger(shardCount) ||
      shardCount < 1 ||
      shardId < 0 ||
      shardId >= shardCount
    ) {
      conn.socket.close(4010, "Invalid shard.");
      return;
    }
    this.stats.identifies++;
    this.token = d.token;
    const previous = this.current.get(shardId);
    if (previous) this.invalidate(previous);

    const session: Session = {
      id: randomBytes(16).toString("hex"),
      shardId,
      shardCount,
      token: d.token,
      intents: typeof d.intents === "number" ? d.intents : 0,
      seq: 0,
      buffer: [],
      conn,
      live: false,
      invalid: false,
    };
    conn.session = session;
    this.sessions.set(session.id, session);
    this.current.set(shardId, session);

    const guilds = this.guildIds.filter((id) => shardForGuild(id, shardCount) === shardId);
    this.pushDispatch(session, "READY", this.readyPayload(session, guilds), undefined, true);
    for (const guildId of guilds) {
      this.pushDispatch(session, "GUILD_CREATE", this.guildPayload(guildId), undefined, true);
    }
    session.live = true;
    this.flushPending(session);
  }

  protected onResume(conn: Connection, d: Json): void {
    this.stats.resumeAttempts++;
    const session = typeof d.session_id === "string" ? this.sessions.get(d.session_id) : undefined;
    if (!session || session.invalid || d.token !== session.token) {
      this.send(conn, { op: 9, d: false, s: null, t: null });
      return;
    }
    const old = session.conn;
    if (old && old !== conn) {
      // Discord drops the older connection of a resumed session.
      old.session = undefined;
      old.socket.terminate();
    }
    conn.session = session;
    session.conn = conn;
    const since = typeof d.seq === "number" ? d.seq : 0;
    for (const entry of session.buffer) {
      if (entry.s > since) this.writeEntry(conn, entry);
    }
    session.seq++;
    this.send(conn, {
      op: 0,
      t: "RESUMED",
      s: session.seq,
      d: { _trace: ["fake-discord-gateway"] },
    });
    session.live = true;
    this.stats.resumes++;
    this.flushPending(session);
  }

  protected pushDispatch(
    session: Session,
    t: string,
    d: unknown,
    onWrite?: () => void,
    force = false,
  ): void {
    const entry: DispatchEntry = { s: ++session.seq, t, d, written: false };
    if (onWrite) entry.onWrite = onWrite;
    session.buffer.push(entry);
    if (session.buffer.length > MAX_BUFFERED_DISPATCHES) {
      const firstUnwritten = session.buffer.findIndex((e) => !e.written);
      session.buffer.splice(0, Math.min(firstUnwritten < 0 ? Infinity : firstUnwritten, 1_000));
    }
    if ((session.live || force) && session.conn) this.writeEntry(session.conn, entry);
  }

  protected writeEntry(conn: Connection, entry: DispatchEntry): void {
    if (this.send(conn, { op: 0, t: entry.t, s: entry.s, d: entry.d }) && !entry.written) {
      entry.written = true;
      entry.onWrite?.();
    }
  }

  protected flushPending(session: Session): void {
    if (this.current.get(session.shardId) !== session) return;
    const queued = this.pending.get(session.shardId) ?? [];
    this.pending.delete(session.shardId);
    for (const item of queued) this.pushDispatch(session, item.t, item.d, item.onWrite);
  }

  /** Ends a session: no RESUME possible; dispatches it never wrote go to the next session. */
  protected invalidate(session: Session): void {
    if (session.invalid) return;
    session.invalid = true;
    session.live = false;
    if (this.current.get(session.shardId) === session) this.current.delete(session.shardId);
    const unwritten = session.buffer
      .filter((entry) => !entry.written && entry.t !== "READY" && entry.t !== "GUILD_CREATE")
      .map(({ t, d, onWrite }) => (onWrite ? { t, d, onWrite } : { t, d }));
    if (unwritten.length > 0) {
      this.pending.set(session.shardId, [
        ...unwritten,
        ...(this.pending.get(session.shardId) ?? []),
      ]);
    }
    session.buffer = [];
  }

  protected currentShardCount(): number {
    for (const session of this.current.values()) return session.shardCount;
    return this.options.shards;
  }

  protected dispatchToShard(shard: number, t: string, d: unknown, onWrite: () => void): void {
    const session = this.current.get(shard);
    if (session) {
      this.pushDispatch(session, t, d, onWrite);
      return;
    }
    const queue = this.pending.get(shard) ?? [];
    queue.push({ t, d, onWrite });
    this.pending.set(shard, queue);
  }

  protected targets(shard?: number): Connection[] {
    return [...this.connections].filter((c) => shard === undefined || c.session?.shardId === shard);
  }

  protected pause(conn: Connection): void {
    if (conn.session && conn.session.conn === conn) conn.session.live = false;
  }

  closeGateway(code: number, shard?: number): void {
    const valid =
      (code >= 1000 && code <= 1003) ||
      (code >= 1007 && code <= 1014) ||
      (code >= 3000 && code <= 4999);
    if (!valid) {
      throw new RangeError(
        `close code ${code} cannot be sent in a close frame; use dropGateway() for 1006`,
      );
    }
    for (const conn of this.targets(shard)) {
      this.pause(conn);
      if (conn.session && SESSION_ENDING_CLOSE_CODES.has(code)) this.invalidate(conn.session);
      conn.socket.close(code, `fake-discord close ${code}`);
    }
  }

  dropGateway(shard?: number): void {
    for (const conn of this.targets(shard)) {
      this.pause(conn);
      conn.socket.terminate();
    }
  }

  requestReconnect(shard?: number): void {
    for (const conn of this.targets(shard)) {
      this.pause(conn);
      this.send(conn, { op: 7, d: null, s: null, t: null });
    }
  }

  invalidateSession(resumable: boolean, shard?: number): void {
    for (const conn of this.targets(shard)) {
      if (!conn.session) continue;
      this.pause(conn);
      if (!resumable) this.invalidate(conn.session);
      this.send(conn, { op: 9, d: resumable, s: null, t: null });
    }
  }

  setHeartbeatAcks(enabled: boolean): void {
    this.heartbeatAcks = enabled;
  }

  // ----- payloads ------------------------------------------------------------------------------

  protected botUser(): Json {
    return {
      id: this.botUserId,
      username: "Summit Desk",
      discriminator: "0",
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: false,
      email: null,
      flags: 0,
      public_flags: 0,
    };
  }

  protected apiUser(user: FakeUser): Json {
    return {
      id: user.id,
      username: user.username ?? `user${user.id.slice(-4)}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
      public_flags: 0,
    };
  }

  protected application(): Json {
    return {
      id: this.applicationId,
      name: "Summit Desk",
      icon: null,
      description: "",
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: "0".repeat(64),
      flags: 0,
      team: null,
      bot: this.botUser(),
      owner: {
        id: makeSnowflake(),
        username: "owner",
        discriminator: "0",
        global_name: null,
        avatar: null,
      },
    };
  }

  protected readyPayload(session: Session, guilds: string[]): Json {
    return {
      v: 10,
      user: this.botUser(),
      guilds: guilds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: "normal",
      resume_gateway_url: this.gatewayUrl,
      shard: [session.shardId, session.shardCount],
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ["fake-discord-gateway"],
    };
  }

  protected channelFor(guildId: string): string {
    let id = this.channelIds.get(guildId);
    if (!id) {
      id = makeSnowflake();
      this.channelIds.set(guildId, id);
    }
    return id;
  }

  protected channelPayload(guildId: string): Json {
    return {
      id: this.channelFor(guildId),
      type: 0,
      guild_id: guildId,
      name: "summit-desk",
      position: 0,
      permission_overwrites: [],
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0,
    };
  }

  protected guildPayload(guildId: string): Json {
    const joinedAt = new Date().toISOString();
    const botRoleId = (BigInt(guildId) + 1n).toString();
    return {
      id: guildId,
      name: `Fake guild ${guildId.slice(-4)}`,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: makeSnowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: guildId,
          name: "@everyone",
          permissions: DEFAULT_MEMBER_PERMISSIONS.toString(),
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
        {
          id: botRoleId,
          name: "Summit Desk",
          permissions: permissionString(this.options.appPermissions, DEFAULT_APP_PERMISSIONS),
          position: 1,
          color: 0,
          hoist: false,
          managed: true,
          mentionable: false,
          flags: 0,
          tags: { bot_id: this.botUserId },
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.channelFor(guildId),
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: "en-US",
      nsfw_level: 0,
      max_members: 500_000,
      max_video_channel_users: 25,
      joined_at: joinedAt,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [memberPayload(this.botUser(), [botRoleId], joinedAt)],
      channels: [{ ...this.channelPayload(guildId), guild_id: undefined }],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  protected commandIdFor(name: string, guildId: string): string {
    for (const scope of [guildId, "global"]) {
      const found = this.commands.get(scope)?.find((c) => c.name === name && c.type === 1);
      if (found) return found.id;
    }
    let id = this.commandIdsByName.get(name);
    if (!id) {
      id = makeSnowflake();
      this.commandIdsByName.set(name, id);
    }
    return id;
  }
}
