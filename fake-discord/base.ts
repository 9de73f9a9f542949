/**
 * The endpoint's state and life cycle: one HTTP server on 127.0.0.1 that serves both the REST
 * API and the gateway WebSocket, bounded waits that re-check on every event, and a shutdown
 * that cuts every timer and connection short. The layers above add the gateway
 * (`gateway.ts`), interactions (`interactions.ts`), faults (`faults.ts`) and REST routes
 * (`rest.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type {
  DiscordErrorBody,
  FakeDiscordOptions,
  GatewayConnectionInfo,
  GatewayFrame,
  RecordedRejection,
  RecordedRequest,
} from "./api.js";
import type { CommandPermission } from "./command-permissions.js";
import type { Interaction } from "./interaction.js";
import {
  type Connection,
  DEFAULT_TIMEOUT_MS,
  type Json,
  type PendingDispatch,
  type RegisteredCommand,
  type Reply,
  type Session,
  type StoredMessage,
} from "./internal.js";
import { DEFAULT_APP_PERMISSIONS, defaultUser, guildIdForShard, makeSnowflake } from "./model.js";
import { errorTree, type Issue } from "./validation.js";

export interface Waiter {
  check: () => void;
  fail: (error: Error) => void;
}

export abstract class EndpointBase {
  apiUrl = "";
  gatewayUrl = "";
  readonly applicationId = makeSnowflake(Date.now() - 400 * 86_400_000);
  readonly botUserId = this.applicationId;
  readonly guildIds: readonly string[];
  readonly stats = {
    identifies: 0,
    resumes: 0,
    resumeAttempts: 0,
    connections: 0,
    heartbeats: 0,
    tcpConnections: 0,
  };
  readonly requests: RecordedRequest[] = [];
  readonly rejections: RecordedRejection[] = [];
  readonly commandRegistrations: Array<{ scope: "global" | { guildId: string }; body: unknown }> =
    [];
  readonly gatewayFrames: GatewayFrame[] = [];
  readonly gatewayConnections: GatewayConnectionInfo[] = [];
  readonly interactions: Interaction[] = [];
  token: string | undefined;

  protected readonly server: Server;
  protected readonly wss: WebSocketServer;
  protected readonly options: Required<Omit<FakeDiscordOptions, "guildIds" | "token">> & {
    token?: string;
  };
  protected readonly connections = new Set<Connection>();
  protected readonly sessions = new Map<string, Session>();
  /** The session that receives dispatches for each shard id. */
  protected readonly current = new Map<number, Session>();
  /** Dispatches for shards without a session, delivered after the next READY. */
  protected readonly pending = new Map<number, PendingDispatch[]>();
  protected readonly interactionsById = new Map<string, Interaction>();
  protected readonly interactionsByToken = new Map<string, Interaction>();
  protected readonly messages = new Map<string, StoredMessage>();
  protected readonly channelIds = new Map<string, string>();
  /** Users seen in interactions, for GET /users/:id. */
  protected readonly knownUsers = new Map<string, Json>();
  protected readonly commands = new Map<string, RegisteredCommand[]>();
  protected readonly commandIdsByName = new Map<string, string>();
  /** Command permission overwrites, by `<guild id>:<command id>`. */
  protected readonly commandPermissions = new Map<string, CommandPermission[]>();
  /** Roles announced to the bot beyond GUILD_CREATE's, by `<guild id>:<role id>`. */
  protected readonly announcedRoles = new Set<string>();
  protected readonly waiters = new Set<Waiter>();
  protected readonly sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  protected readonly defaultUser = defaultUser();
  protected heartbeatAcks = true;
  protected nextConnectionId = 1;
  protected closed = false;
  protected closing: Promise<void> | undefined;

  constructor(options: FakeDiscordOptions) {
    const shards = options.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1)
      throw new RangeError("shards must be a positive integer");
    this.options = {
      shards,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      maxConcurrency: options.maxConcurrency ?? 16,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3_000,
      appPermissions: options.appPermissions ?? DEFAULT_APP_PERMISSIONS,
      holdGateway: options.holdGateway ?? false,
      ...(options.token === undefined ? {} : { token: options.token }),
    };
    this.guildIds =
      options.guildIds && options.guildIds.length > 0
        ? [...options.guildIds]
        : Array.from({ length: shards }, (_, shard) => guildIdForShard(shard, shards));
    for (const guildId of this.guildIds) this.channelIds.set(guildId, makeSnowflake());

    this.server = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          this.writeReply(res, { status: 500, body: { message: String(error), code: 0 } });
        }
      });
    });
    // Bounded reads: a stalled client cannot keep a request (or close()) hanging.
    this.server.requestTimeout = 10_000;
    this.server.headersTimeout = 10_000;
    // Discord keeps an idle connection open for minutes and announces no limit (no
    // `Keep-Alive: timeout=` header): a client decides when to let its connections go.
    // close() still ends every connection at once.
    this.server.keepAliveTimeout = 0;
    this.server.on("connection", () => {
      this.stats.tcpConnections++;
    });
    this.server.on("clientError", (_error, socket) => socket.destroy());
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on("connection", (socket, req) => this.onConnection(socket, req));
    this.wss.on("error", () => undefined);
  }

  get guildId(): string {
    return this.guildIds[0] as string;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
  }

  // ----- waiting -------------------------------------------------------------------------------

  /** Resolves when `pred` holds; re-checked on every state change (and every `pollMs` if > 0). */
  waitUntil(pred: () => boolean, timeoutMs: number, what: () => string, pollMs = 0): Promise<void> {
    if (this.closed) return Promise.reject(new Error("fake Discord is closed"));
    try {
      if (pred()) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      let poll: NodeJS.Timeout | undefined;
      const finish = (error?: Error) => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        this.waiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      };
      const waiter: Waiter = {
        check: () => {
          try {
            if (pred()) finish();
          } catch (error) {
            finish(error instanceof Error ? error : new Error(String(error)));
          }
        },
        fail: finish,
      };
      const timer = setTimeout(
        () => finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`)),
        timeoutMs,
      );
      this.waiters.add(waiter);
      if (pollMs > 0) poll = setInterval(waiter.check, pollMs);
    });
  }

  waitFor(
    pred: () => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    what = "a condition",
  ): Promise<void> {
    return this.waitUntil(pred, timeoutMs, () => what, 10);
  }

  protected notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  waitForReady(opts: { shards?: number; timeoutMs?: number } = {}): Promise<void> {
    const wanted = opts.shards ?? this.options.shards;
    const live = () => [...this.current.values()].filter((s) => s.live).length;
    return this.waitUntil(
      () => live() >= wanted,
      opts.timeoutMs ?? 10_000,
      () =>
        `${wanted} ready shard session(s) (have ${live()}, identifies=${this.stats.identifies})`,
    );
  }

  /** A timer that close() cuts short, so fault delays never outlive the fake. */
  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.sleeps.add(entry);
    });
  }

  protected writeReply(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | undefined;
    if (reply.body !== undefined && reply.status !== 204) {
      payload = JSON.stringify(reply.body);
      headers["Content-Type"] = "application/json";
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  protected error(status: number, code: number, message: string, issues?: Issue[]): Reply {
    const body: DiscordErrorBody = { message, code };
    if (issues && issues.length > 0) body.errors = errorTree(issues);
    return { status, body };
  }

  // ----- shutdown ------------------------------------------------------------------------------

  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  protected async shutdown(): Promise<void> {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.fail(new Error("fake Discord was closed"));
    for (const entry of [...this.sleeps]) {
      clearTimeout(entry.timer);
      this.sleeps.delete(entry);
      entry.resolve();
    }
    for (const conn of this.connections) conn.socket.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      this.wss.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Answers one HTTP request (the REST API). */
  protected abstract handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Takes one gateway WebSocket connection. */
  protected abstract onConnection(socket: WebSocket, req: IncomingMessage): void;
}
