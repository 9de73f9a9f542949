/**
 * What a test can do with the endpoint and what it can read back: send commands, autocomplete
 * and button clicks as a user would, inject faults, and inspect every request, response and
 * gateway frame the bot produced. Mirrors Discord's interaction, message and gateway payloads
 * only as far as tests assert on them.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { CommandPermission } from "./command-permissions.js";
import type { FakeUser } from "./model.js";

export type { CommandPermission } from "./command-permissions.js";

export type { FakeUser } from "./model.js";

/** A slash-command option as it appears in `interaction.data.options`. */
export interface FakeOption {
  name: string;
  /** ApplicationCommandOptionType: 1 subcommand, 2 group, 3 string, 4 integer, 5 boolean, ... */
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  /** Nested options of a subcommand (type 1) or subcommand group (type 2). */
  options?: FakeOption[];
}

/** Input of {@link FakeDiscord.sendCommand} and {@link FakeDiscord.sendAutocomplete}. */
export interface CommandInput {
  name: string;
  options?: FakeOption[];
  user?: FakeUser;
  /** Default: the first guild. */
  guildId?: string;
  /** Passed through as `data.resolved` (users, members, roles, channels of USER/ROLE/... options). */
  resolved?: unknown;
}

/** Input of {@link FakeDiscord.clickButton}. */
export interface ButtonInput {
  customId: string;
  message: RecordedMessage;
  user?: FakeUser;
  guildId?: string;
  /** Click even if the message has no component with this custom id (default false: throw). */
  allowMissingComponent?: boolean;
}

/** One HTTP request the bot made. */
export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10` (e.g. "/gateway/bot"); the full path for anything outside it. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (or `payload_json` of a multipart body), the raw text otherwise, undefined if empty. */
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
  /** Status sent back; undefined while pending or when the response was dropped on purpose. */
  status?: number;
  /** Set when a {@link FaultRule} handled the request. */
  fault?: "status" | "drop" | "delay";
  /** Names of the files of a multipart body. */
  files?: string[];
}

/** Body of a Discord JSON error. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: unknown;
  retry_after?: number;
  global?: boolean;
}

/** A request the fake refused with a Discord error (validation, 10062, 40060, ...). */
export interface RecordedRejection {
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  errors?: unknown;
  interactionId?: string;
  at: number;
}

/** The body of an interaction callback. */
export interface InteractionCallbackBody {
  type: number;
  data?: {
    content?: string;
    embeds?: unknown[];
    components?: unknown[];
    flags?: number;
    choices?: Array<{ name: string; value: string | number }>;
    allowed_mentions?: unknown;
    [key: string]: unknown;
  };
}

/** One POST /interactions/:id/:token/callback attempt, accepted or not. */
export interface RecordedResponse {
  interactionId: string;
  body: InteractionCallbackBody;
  status: number;
  accepted: boolean;
  /** The Discord error when `accepted` is false. */
  error?: DiscordErrorBody;
  query: Record<string, string>;
  /** performance.now() when the callback was processed. */
  at: number;
}

/** A message the bot produced (or changed) through an interaction, or posted in a channel. */
export interface RecordedMessage {
  id: string;
  channelId: string;
  guildId: string | undefined;
  /** The interaction it answers; empty for a message posted in a channel. */
  interactionId: string;
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  allowed_mentions?: unknown;
  /** performance.now() when the fake accepted it. */
  at: number;
  /**
   * How it got here: initial callback (type 4/7), PATCH of a message, POST follow-up, or
   * `POST /channels/{id}/messages`.
   */
  source: "callback" | "edit" | "followUp" | "channel";
  /** The whole message object as Discord would return it, at that moment. */
  api: Record<string, unknown>;
}

/** A message the endpoint holds now (not deleted), as Discord would return it. */
export interface HeldMessage {
  id: string;
  channelId: string;
  /** The interaction that made it; undefined for a message posted in the channel. */
  interactionId: string | undefined;
  /** Shown only to the user of the interaction. */
  ephemeral: boolean;
  api: Record<string, unknown>;
}

/** The test's view of one dispatched interaction. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly kind: "command" | "autocomplete" | "button";
  readonly guildId: string;
  /** The shard the interaction was routed to. */
  readonly shard: number;
  /** performance.now() when sendCommand/sendAutocomplete/clickButton was called ("the click"). */
  readonly createdAt: number;
  /**
   * performance.now() when INTERACTION_CREATE was first written to a gateway socket; equals
   * `createdAt` until then (see `delivered`).
   */
  readonly sentAt: number;
  readonly delivered: boolean;
  /** The INTERACTION_CREATE `d` payload. */
  readonly payload: Record<string, unknown>;
  /** Every callback attempt, including rejected ones. */
  readonly callbacks: RecordedResponse[];
  /** Accepted PATCHes of this interaction's messages. */
  readonly edits: RecordedMessage[];
  /** Accepted follow-up messages. */
  readonly followUps: RecordedMessage[];
  /** Requests about this interaction that were refused. */
  readonly rejections: RecordedRejection[];
  /** The first message the user saw as the answer (what waitForVisibleReply resolves with). */
  readonly visibleReply: RecordedMessage | undefined;
  /** Resolves with the first callback attempt (check `accepted`/`status`). Default timeout 5 s. */
  waitForResponse(timeoutMs?: number): Promise<RecordedResponse>;
  /**
   * Resolves with the first message the user sees: a type 4 / 7 callback's data, or after a
   * type 5 / 6 deferral the first accepted PATCH of @original or follow-up. Default timeout 5 s.
   */
  waitForVisibleReply(timeoutMs?: number): Promise<RecordedMessage>;
  /** Bounded wait for any condition (re-checked on every fake event and every 10 ms). */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
}

/** A REST fault, applied to the next `count` requests that match. */
export interface FaultRule {
  /** HTTP method, case-insensitive; any method when omitted. */
  method?: string;
  /** Tested against the path after /api/v10 (no query string). */
  path: RegExp;
  /** Default 1. */
  count?: number;
  /**
   * Answer with this status instead of handling the request. Default 500 unless only `delayMs`
   * or `dropResponse` is given.
   */
  status?: number;
  /** JSON body for `status`; a Discord-like default is used otherwise. */
  body?: unknown;
  /** Sets `Retry-After` (and `retry_after` in the default 429 body). Default 1 for 429. */
  retryAfterSeconds?: number;
  /** Marks a 429 as global (`X-RateLimit-Global`, scope "global"). */
  global?: boolean;
  /** `X-RateLimit-Scope` of a 429 that is not global: "user" (default) or "shared". */
  scope?: "user" | "shared";
  /** Wait before doing anything; alone, the request is then handled normally. */
  delayMs?: number;
  /** Handle the request (side effects happen) and then reset the connection instead of answering. */
  dropResponse?: boolean;
}

/** One gateway frame, either direction. */
export interface GatewayFrame {
  direction: "in" | "out";
  data: unknown;
  /** The shard of the connection's session, -1 before IDENTIFY/RESUME. */
  shard: number;
  connection: number;
  at: number;
}

/** A gateway connection as opened by the client. */
export interface GatewayConnectionInfo {
  id: number;
  /** Path and query the client connected with, e.g. "/?v=10&encoding=json". */
  url: string;
  at: number;
}

/** Options of {@link startFakeDiscord}. */
export interface FakeDiscordOptions {
  /** `shards` returned by GET /gateway/bot. Default 1. */
  shards?: number;
  /** HELLO `heartbeat_interval`. Default 41250. */
  heartbeatIntervalMs?: number;
  /** Guilds sent in READY + GUILD_CREATE. Default: one guild per shard of `shards`. */
  guildIds?: string[];
  /** When set, only this token is accepted (REST 401, gateway close 4004); otherwise any non-empty one. */
  token?: string;
  /**
   * `session_start_limit.max_concurrency`. Default 16 so that shards of one client identify in
   * parallel; with 1, discord.js spaces identifies of a process 5–6.5 s apart.
   */
  maxConcurrency?: number;
  /** Deadline for the initial interaction response, counted from the click. Default 3000. */
  interactionDeadlineMs?: number;
  /** `app_permissions` of every interaction. Default {@link DEFAULT_APP_PERMISSIONS}. */
  appPermissions?: bigint | string;
  /** Start with the gateway held (see {@link FakeDiscord.holdGateway}). Default false. */
  holdGateway?: boolean;
}

/** The running fake. */
export interface FakeDiscord {
  /** "http://127.0.0.1:PORT/api", to pass as `rest.api` (discord.js appends /v10). */
  readonly apiUrl: string;
  /** "ws://127.0.0.1:PORT", returned as the gateway url. */
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** The first guild. */
  readonly guildId: string;
  readonly guildIds: readonly string[];
  /** The token of the most recent IDENTIFY. */
  readonly token: string | undefined;
  readonly stats: {
    identifies: number;
    /** Successful RESUMEs. */
    resumes: number;
    resumeAttempts: number;
    /** Gateway (WebSocket) connections. */
    connections: number;
    heartbeats: number;
    /** TCP connections accepted, REST and gateway alike (a client reusing its connections opens few). */
    tcpConnections: number;
  };
  /** Resolves once `shards` (default: the configured count) sessions have been sent READY + GUILD_CREATE and are connected. */
  waitForReady(opts?: { shards?: number; timeoutMs?: number }): Promise<void>;

  /**
   * Sends a command as the user would. Throws when Discord would not let that member use it
   * (see `command-permissions.ts`): the command's `default_member_permissions`, once registered,
   * and the overwrites set with {@link setCommandPermissions} are enforced.
   */
  sendCommand(input: CommandInput): InteractionHandle;
  /**
   * What a server admin sets under Server Settings → Integrations for one registered command in
   * one guild (Discord's `PUT /applications/{app}/guilds/{guild}/commands/{id}/permissions`,
   * which needs the admin's own Bearer token, never the bot's). Replaces the previous list.
   */
  setCommandPermissions(guildId: string, name: string, permissions: CommandPermission[]): void;
  sendAutocomplete(input: CommandInput): InteractionHandle;
  clickButton(input: ButtonInput): InteractionHandle;
  readonly interactions: readonly InteractionHandle[];

  failNext(rule: FaultRule): void;
  closeGateway(code: number, shard?: number): void;
  dropGateway(shard?: number): void;
  requestReconnect(shard?: number): void;
  invalidateSession(resumable: boolean, shard?: number): void;
  setHeartbeatAcks(enabled: boolean): void;
  /**
   * While held, the gateway accepts connections but sends no HELLO, as an unreachable or
   * stalled Discord gateway does: the client waits, and is not ready. Releasing it sends the
   * HELLO to every connection still open, and the client identifies or resumes.
   */
  holdGateway(held: boolean): void;
  /** Connections open and waiting for a HELLO because the gateway is held. */
  readonly heldConnections: number;

  /** Messages the bot posted with `POST /channels/{id}/messages`, in order. */
  readonly channelMessages: readonly RecordedMessage[];
  /**
   * Every message the endpoint holds now, in one channel or all, however it was made
   * (interaction responses, follow-ups, channel posts; deleted ones are gone): to count copies.
   */
  heldMessages(channelId?: string): HeldMessage[];

  readonly requests: RecordedRequest[];
  readonly rejections: RecordedRejection[];
  readonly commandRegistrations: Array<{ scope: "global" | { guildId: string }; body: unknown }>;
  readonly gatewayFrames: GatewayFrame[];
  readonly gatewayConnections: GatewayConnectionInfo[];
  /** Bounded wait for any condition (re-checked on every fake event and every 10 ms). */
  waitFor(pred: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}
