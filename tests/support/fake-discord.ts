/**
 * A local stand-in for Discord's REST API (v10) and gateway, good enough for an unmodified
 * discord.js 14 `Client` to log in, receive interactions and answer them.
 *
 * Point the client at it with `new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } })`.
 * Everything listens on 127.0.0.1 only, every wait is bounded by a timeout, and everything the bot
 * sends (REST requests, gateway frames) is recorded for assertions.
 *
 * Behaviour that mirrors real Discord (so tests catch real bugs): the 3 s deadline for the initial
 * interaction response (10062), a second initial response (40060), message / embed / component
 * limits (50035), empty messages (50006), resumable sessions with replay of missed dispatches.
 */
import { randomBytes } from "node:crypto";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { type RawData, WebSocket, WebSocketServer } from "ws";

// ---------------------------------------------------------------------------------------------
// Snowflakes and permissions
// ---------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/**
 * Makes a Discord snowflake (17–19 digits) whose embedded timestamp is `timestampMs`, so
 * discord.js' `createdTimestamp` is meaningful. The low 22 bits carry a process-wide counter,
 * which keeps ids unique even when many are made in the same millisecond.
 */
export function makeSnowflake(timestampMs: number = Date.now()): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0x3f_ffffn;
  return (((BigInt(Math.floor(timestampMs)) - DISCORD_EPOCH) << 22n) | snowflakeCounter).toString();
}

/** The shard that receives a guild's events: `(guild_id >> 22) % shardCount`. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(Math.max(1, shardCount)));
}

/** Makes a guild id that lives on `shard` when the bot runs `shardCount` shards. */
export function guildIdForShard(shard: number, shardCount: number): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    throw new RangeError(`shard ${shard} is not in [0, ${shardCount})`);
  }
  // A month in the past, then stepped back until the timestamp part lands on the shard.
  let relative = BigInt(Date.now() - 30 * 86_400_000) - DISCORD_EPOCH;
  relative -= relative % BigInt(shardCount);
  relative += BigInt(shard);
  return makeSnowflake(Number(relative + DISCORD_EPOCH));
}

/** Permission bits used by the defaults below (values from Discord's permission table). */
const Permission = {
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** What an ordinary member can do: talk, read, react, use commands; not manage the server. */
const DEFAULT_MEMBER_PERMISSIONS: bigint =
  Permission.AddReactions |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.UseExternalEmojis |
  Permission.Connect |
  Permission.Speak |
  Permission.ChangeNickname |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.SendMessagesInThreads;

/** What the bot is granted in the interaction's channel (`app_permissions`) unless overridden. */
const DEFAULT_APP_PERMISSIONS: bigint =
  Permission.AddReactions |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.UseExternalEmojis |
  Permission.UseApplicationCommands |
  Permission.SendMessagesInThreads;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** A user who triggers interactions. */
export interface FakeUser {
  id: string;
  username?: string;
  /** Becomes `member.permissions` (decimal string). Default {@link DEFAULT_MEMBER_PERMISSIONS}. */
  permissions?: bigint | string;
  roles?: string[];
  /** The user's client locale (`interaction.locale`), default "en-US". */
  locale?: string;
}

/** A member with the default permissions (no ManageGuild, no Administrator). */
export function defaultUser(id: string = makeSnowflake(), username = "summit-reader"): FakeUser {
  return { id, username, permissions: DEFAULT_MEMBER_PERMISSIONS, roles: [] };
}

/** A member with ManageGuild on top of the defaults; Administrator is deliberately not set. */
export function adminUser(id: string = makeSnowflake(), username = "summit-admin"): FakeUser {
  return {
    id,
    username,
    permissions: DEFAULT_MEMBER_PERMISSIONS | Permission.ManageGuild,
    roles: [],
  };
}

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

/** A message the bot produced (or changed) through an interaction. */
export interface RecordedMessage {
  id: string;
  channelId: string;
  guildId: string | undefined;
  interactionId: string;
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  allowed_mentions?: unknown;
  /** performance.now() when the fake accepted it. */
  at: number;
  /** How it got here: initial callback (type 4/7), PATCH of a message, or POST follow-up. */
  source: "callback" | "edit" | "followUp";
  /** The whole message object as Discord would return it, at that moment. */
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
  /** Marks a 429 as global (`X-RateLimit-Global`). */
  global?: boolean;
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
    connections: number;
    heartbeats: number;
  };
  /** Resolves once `shards` (default: the configured count) sessions have been sent READY + GUILD_CREATE and are connected. */
  waitForReady(opts?: { shards?: number; timeoutMs?: number }): Promise<void>;

  sendCommand(input: CommandInput): InteractionHandle;
  sendAutocomplete(input: CommandInput): InteractionHandle;
  clickButton(input: ButtonInput): InteractionHandle;
  readonly interactions: readonly InteractionHandle[];

  failNext(rule: FaultRule): void;
  closeGateway(code: number, shard?: number): void;
  dropGateway(shard?: number): void;
  requestReconnect(shard?: number): void;
  invalidateSession(resumable: boolean, shard?: number): void;
  setHeartbeatAcks(enabled: boolean): void;

  readonly requests: RecordedRequest[];
  readonly rejections: RecordedRejection[];
  readonly commandRegistrations: Array<{ scope: "global" | { guildId: string }; body: unknown }>;
  readonly gatewayFrames: GatewayFrame[];
  readonly gatewayConnections: GatewayConnectionInfo[];
  /** Bounded wait for any condition (re-checked on every fake event and every 10 ms). */
  waitFor(pred: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

interface Issue {
  path: Array<string | number>;
  code: string;
  message: string;
}

/** Discord's error for an array or string over its limit. */
function tooMany(path: Issue["path"], max: number): Issue {
  return { path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` };
}

function notAnArray(path: Issue["path"]): Issue {
  return { path, code: "BASE_TYPE_ARRAY", message: "Must be an array." };
}

function notAnObject(path: Issue["path"]): Issue {
  return { path, code: "MODEL_TYPE_CONVERT", message: "Only dictionaries may be used." };
}

/** A guild member as the gateway and interactions carry it. */
function memberPayload(user: Json, roles: string[], joinedAt: string): Json {
  return {
    user,
    roles,
    joined_at: joinedAt,
    nick: null,
    avatar: null,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
  };
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface DispatchEntry {
  s: number;
  t: string;
  d: unknown;
  written: boolean;
  onWrite?: () => void;
}

interface PendingDispatch {
  t: string;
  d: unknown;
  onWrite?: () => void;
}

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  token: string;
  intents: number;
  seq: number;
  buffer: DispatchEntry[];
  conn: Connection | undefined;
  /** Connected and past READY/RESUMED: dispatches can be written right away. */
  live: boolean;
  invalid: boolean;
}

interface Connection {
  id: number;
  socket: WebSocket;
  session: Session | undefined;
}

interface StoredMessage {
  api: Json;
  interactionId: string;
  /** A type 5 deferral's "thinking…" placeholder. */
  loading: boolean;
}

interface RegisteredCommand extends Json {
  id: string;
  name: string;
  type: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_BODY_BYTES = 26 * 1024 * 1024;
const MAX_BUFFERED_DISPATCHES = 5_000;
const MESSAGE_FLAG_EPHEMERAL = 64;
const MESSAGE_FLAG_LOADING = 128;
const MESSAGE_FLAG_COMPONENTS_V2 = 32_768;
/** Callback types each interaction type may use (Discord's "interaction response types"). */
const ALLOWED_CALLBACK_TYPES: Record<number, readonly number[]> = {
  2: [4, 5, 9, 12],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};
/** Close codes after which real Discord will not accept a RESUME of the session. */
const SESSION_ENDING_CLOSE_CODES = new Set([
  1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014,
]);
const COMMAND_NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Length as Discord counts it for limits: in code points, not UTF-16 units. */
function charLength(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

function permissionString(value: bigint | string | undefined, fallback: bigint): string {
  if (value === undefined) return fallback.toString();
  return typeof value === "bigint" ? value.toString() : BigInt(value).toString();
}

function errorTree(issues: Issue[]): Json {
  const root: Json = {};
  for (const issue of issues) {
    let node = root;
    for (const key of issue.path) {
      const name = String(key);
      const next = isRecord(node[name]) ? (node[name] as Json) : {};
      node[name] = next;
      node = next;
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code: issue.code, message: issue.message });
    node._errors = list;
  }
  return root;
}

function checkLength(
  issues: Issue[],
  value: unknown,
  max: number,
  path: Array<string | number>,
  required = false,
): number {
  if (value === undefined || value === null) {
    if (required)
      issues.push({ path, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    return 0;
  }
  if (typeof value !== "string") {
    issues.push({ path, code: "BASE_TYPE_STRING", message: "Must be a string." });
    return 0;
  }
  const length = charLength(value);
  if (required && length === 0) {
    issues.push({ path, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
  } else if (length > max) {
    issues.push(tooMany(path, max));
  }
  return length;
}

/** Embed limits from Discord's documentation ("Embed Limits"). */
function validateEmbeds(embeds: unknown, base: Array<string | number>, issues: Issue[]): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    issues.push(notAnArray([...base, "embeds"]));
    return;
  }
  if (embeds.length > 10) {
    issues.push(tooMany([...base, "embeds"], 10));
  }
  let total = 0;
  embeds.forEach((embed, index) => {
    const at = [...base, "embeds", index];
    if (!isRecord(embed)) {
      issues.push(notAnObject(at));
      return;
    }
    total += checkLength(issues, embed.title, 256, [...at, "title"]);
    total += checkLength(issues, embed.description, 4096, [...at, "description"]);
    if (isRecord(embed.footer)) {
      total += checkLength(issues, embed.footer.text, 2048, [...at, "footer", "text"], true);
    }
    if (isRecord(embed.author)) {
      total += checkLength(issues, embed.author.name, 256, [...at, "author", "name"], true);
    }
    if (embed.fields !== undefined) {
      if (!Array.isArray(embed.fields)) {
        issues.push(notAnArray([...at, "fields"]));
      } else {
        if (embed.fields.length > 25) {
          issues.push(tooMany([...at, "fields"], 25));
        }
        embed.fields.forEach((field, fieldIndex) => {
          const fieldPath = [...at, "fields", fieldIndex];
          if (!isRecord(field)) {
            issues.push(notAnObject(fieldPath));
            return;
          }
          total += checkLength(issues, field.name, 256, [...fieldPath, "name"], true);
          total += checkLength(issues, field.value, 1024, [...fieldPath, "value"], true);
        });
      }
    }
  });
  if (total > 6000) {
    issues.push({
      path: [...base, "embeds"],
      code: "MAX_EMBED_SIZE_EXCEEDED",
      message: "Embed size exceeds maximum size of 6000",
    });
  }
}

function collectCustomIds(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectCustomIds(item, out);
    return;
  }
  if (!isRecord(node)) return;
  if (typeof node.custom_id === "string") out.push(node.custom_id);
  collectCustomIds(node.components, out);
  collectCustomIds(node.accessory, out);
  collectCustomIds(node.component, out);
}

/** Classic action rows: at most 5 rows of at most 5 buttons, custom ids 1–100 and unique. */
function validateComponents(data: Json, base: Array<string | number>, issues: Issue[]): void {
  const components = data.components;
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    issues.push(notAnArray([...base, "components"]));
    return;
  }
  const v2 = typeof data.flags === "number" && (data.flags & MESSAGE_FLAG_COMPONENTS_V2) !== 0;
  if (!v2) {
    if (components.length > 5) {
      issues.push(tooMany([...base, "components"], 5));
    }
    components.forEach((row, rowIndex) => {
      const rowPath = [...base, "components", rowIndex];
      if (!isRecord(row) || row.type !== 1 || !Array.isArray(row.components)) {
        issues.push({
          path: rowPath,
          code: "UNION_TYPE_CHOICES",
          message: 'Value of field "type" must be one of (1,).',
        });
        return;
      }
      if (row.components.length > 5) {
        issues.push(tooMany([...rowPath, "components"], 5));
      }
      row.components.forEach((component, index) => {
        const at = [...rowPath, "components", index];
        if (!isRecord(component)) return;
        if (component.type === 2) {
          checkLength(issues, component.label, 80, [...at, "label"]);
          if (component.style === 5) {
            checkLength(issues, component.url, 512, [...at, "url"], true);
          } else if (component.style !== 6) {
            checkLength(issues, component.custom_id, 100, [...at, "custom_id"], true);
          }
        } else if (typeof component.custom_id === "string") {
          checkLength(issues, component.custom_id, 100, [...at, "custom_id"], true);
        }
      });
    });
  }
  const ids: string[] = [];
  collectCustomIds(components, ids);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      issues.push({
        path: [...base, "components"],
        code: "COMPONENT_CUSTOM_ID_DUPLICATED",
        message: "Component custom id cannot be duplicated",
      });
      break;
    }
    seen.add(id);
  }
}

function isEmptyMessage(data: Json | undefined): boolean {
  if (!data) return true;
  const hasContent = typeof data.content === "string" && data.content.length > 0;
  const hasList = (key: string) => Array.isArray(data[key]) && (data[key] as unknown[]).length > 0;
  return (
    !hasContent &&
    !hasList("embeds") &&
    !hasList("components") &&
    !hasList("attachments") &&
    !hasList("sticker_ids") &&
    !isRecord(data.poll)
  );
}

function validateMessageData(data: Json, base: Array<string | number>): Issue[] {
  const issues: Issue[] = [];
  checkLength(issues, data.content, 2000, [...base, "content"]);
  validateEmbeds(data.embeds, base, issues);
  validateComponents(data, base, issues);
  return issues;
}

function validateChoices(data: Json | undefined): Issue[] {
  const issues: Issue[] = [];
  const choices = data?.choices;
  if (!Array.isArray(choices)) {
    issues.push({
      path: ["data", "choices"],
      code: "BASE_TYPE_REQUIRED",
      message: "This field is required",
    });
    return issues;
  }
  if (choices.length > 25) {
    issues.push(tooMany(["data", "choices"], 25));
  }
  choices.forEach((choice, index) => {
    const at = ["data", "choices", index];
    if (!isRecord(choice)) {
      issues.push(notAnObject(at));
      return;
    }
    checkLength(issues, choice.name, 100, [...at, "name"], true);
    if (typeof choice.value === "string") checkLength(issues, choice.value, 100, [...at, "value"]);
    else if (typeof choice.value !== "number") {
      issues.push({
        path: [...at, "value"],
        code: "BASE_TYPE_REQUIRED",
        message: "This field is required",
      });
    }
  });
  return issues;
}

function validateCommandName(
  name: unknown,
  lowercase: boolean,
  path: Array<string | number>,
  issues: Issue[],
) {
  if (
    typeof name !== "string" ||
    !COMMAND_NAME_RE.test(name) ||
    (lowercase && name !== name.toLowerCase())
  ) {
    issues.push({
      path,
      code: "APPLICATION_COMMAND_INVALID_NAME",
      message: `Command name is invalid`,
    });
  }
}

function validateDescription(value: unknown, path: Array<string | number>, issues: Issue[]) {
  const length = charLength(value);
  if (typeof value !== "string" || length < 1 || length > 100) {
    issues.push({
      path,
      code: "BASE_TYPE_BAD_LENGTH",
      message: "Must be between 1 and 100 in length.",
    });
  }
}

function validateCommandOptions(
  options: unknown,
  path: Array<string | number>,
  issues: Issue[],
): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    issues.push(notAnArray(path));
    return;
  }
  if (options.length > 25) {
    issues.push(tooMany(path, 25));
  }
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((option, index) => {
    const at = [...path, index];
    if (!isRecord(option)) {
      issues.push(notAnObject(at));
      return;
    }
    validateCommandName(option.name, true, [...at, "name"], issues);
    validateDescription(option.description, [...at, "description"], issues);
    if (typeof option.name === "string") {
      if (names.has(option.name)) {
        issues.push({
          path: [...at, "name"],
          code: "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
          message: "Option name already exists",
        });
      }
      names.add(option.name);
    }
    const type = option.type;
    if (typeof type !== "number" || !Number.isInteger(type) || type < 1 || type > 11) {
      issues.push({
        path: [...at, "type"],
        code: "BASE_TYPE_CHOICES",
        message: "Value must be one of 1..11.",
      });
      return;
    }
    if (type === 1 || type === 2) {
      validateCommandOptions(option.options, [...at, "options"], issues);
      return;
    }
    if (option.required === true && sawOptional) {
      issues.push({
        path: [...at, "required"],
        code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        message: "Required options must be placed before non-required options",
      });
    }
    if (option.required !== true) sawOptional = true;
    if (Array.isArray(option.choices)) {
      if (option.choices.length > 25) {
        issues.push(tooMany([...at, "choices"], 25));
      }
      if (option.autocomplete === true && option.choices.length > 0) {
        issues.push({
          path: [...at, "autocomplete"],
          code: "APPLICATION_COMMAND_OPTION_CHOICES_AND_AUTOCOMPLETE",
          message: "Autocomplete cannot be set with choices",
        });
      }
    }
  });
}

function validateCommandList(body: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!Array.isArray(body)) {
    return [notAnArray([])];
  }
  const seen = new Set<string>();
  let chatInput = 0;
  body.forEach((command, index) => {
    if (!isRecord(command)) {
      issues.push(notAnObject([index]));
      return;
    }
    const type = typeof command.type === "number" ? command.type : 1;
    if (type === 1) chatInput++;
    validateCommandName(command.name, type === 1, [index, "name"], issues);
    if (type === 1) validateDescription(command.description, [index, "description"], issues);
    else if (command.description !== undefined && command.description !== "") {
      issues.push({
        path: [index, "description"],
        code: "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
        message: "Context menu commands cannot have description",
      });
    }
    validateCommandOptions(command.options, [index, "options"], issues);
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) {
      issues.push({
        path: [index, "name"],
        code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
        message: `Application command names must be unique`,
      });
    }
    seen.add(key);
  });
  if (chatInput > 100) {
    issues.push(tooMany([], 100));
  }
  return issues;
}

function rawToString(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString("utf8");
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  return Buffer.from(raw).toString("utf8");
}

function hasFocusedOption(options: FakeOption[] | undefined): boolean {
  return (options ?? []).some(
    (option) => option.focused === true || hasFocusedOption(option.options),
  );
}

function toApiOptions(options: FakeOption[] | undefined): Json[] | undefined {
  return options?.map((option) => {
    const out: Json = { name: option.name, type: option.type };
    if (option.value !== undefined) out.value = option.value;
    if (option.focused !== undefined) out.focused = option.focused;
    if (option.options !== undefined) out.options = toApiOptions(option.options);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Interaction state
// ---------------------------------------------------------------------------------------------

class Interaction implements InteractionHandle {
  readonly callbacks: RecordedResponse[] = [];
  readonly edits: RecordedMessage[] = [];
  readonly followUps: RecordedMessage[] = [];
  readonly rejections: RecordedRejection[] = [];
  visibleReply: RecordedMessage | undefined;
  delivered = false;
  /** Type of the accepted initial response, once there is one. */
  ackType: number | undefined;
  /** The message "@original" refers to. */
  originalId: string | undefined;
  private deliveredAt: number | undefined;

  constructor(
    private readonly fake: FakeDiscordServer,
    readonly id: string,
    readonly token: string,
    readonly kind: "command" | "autocomplete" | "button",
    readonly type: number,
    readonly guildId: string,
    readonly channelId: string,
    readonly shard: number,
    readonly user: Json,
    readonly name: string,
    readonly sourceMessageId: string | undefined,
    readonly payload: Json,
    readonly createdAt: number,
  ) {}

  get sentAt(): number {
    return this.deliveredAt ?? this.createdAt;
  }

  markDelivered(): void {
    if (this.delivered) return;
    this.delivered = true;
    this.deliveredAt = performance.now();
  }

  private describe(): string {
    const statuses = this.callbacks.map((c) => c.status).join(",") || "none";
    return (
      `${this.kind} interaction ${this.id} (${this.name}): delivered=${this.delivered}, ` +
      `callbacks=[${statuses}], edits=${this.edits.length}, followUps=${this.followUps.length}, ` +
      `rejections=${this.rejections.map((r) => r.code).join(",") || "none"}`
    );
  }

  async waitForResponse(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedResponse> {
    await this.fake.waitUntil(
      () => this.callbacks.length > 0,
      timeoutMs,
      () => `a callback for ${this.describe()}`,
    );
    return this.callbacks[0] as RecordedResponse;
  }

  async waitForVisibleReply(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedMessage> {
    await this.fake.waitUntil(
      () => this.visibleReply !== undefined,
      timeoutMs,
      () => `a visible reply for ${this.describe()}`,
    );
    return this.visibleReply as RecordedMessage;
  }

  waitFor(pred: () => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.fake.waitUntil(pred, timeoutMs, () => `a condition on ${this.describe()}`, 10);
  }
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

interface FaultState extends FaultRule {
  remaining: number;
}

interface Waiter {
  check: () => void;
  fail: (error: Error) => void;
}

class FakeDiscordServer implements FakeDiscord {
  apiUrl = "";
  gatewayUrl = "";
  readonly applicationId = makeSnowflake(Date.now() - 400 * 86_400_000);
  readonly botUserId = this.applicationId;
  readonly guildIds: readonly string[];
  readonly stats = { identifies: 0, resumes: 0, resumeAttempts: 0, connections: 0, heartbeats: 0 };
  readonly requests: RecordedRequest[] = [];
  readonly rejections: RecordedRejection[] = [];
  readonly commandRegistrations: Array<{ scope: "global" | { guildId: string }; body: unknown }> =
    [];
  readonly gatewayFrames: GatewayFrame[] = [];
  readonly gatewayConnections: GatewayConnectionInfo[] = [];
  readonly interactions: Interaction[] = [];
  token: string | undefined;

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly options: Required<Omit<FakeDiscordOptions, "guildIds" | "token">> & {
    token?: string;
  };
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Map<string, Session>();
  /** The session that receives dispatches for each shard id. */
  private readonly current = new Map<number, Session>();
  /** Dispatches for shards without a session, delivered after the next READY. */
  private readonly pending = new Map<number, PendingDispatch[]>();
  private readonly interactionsById = new Map<string, Interaction>();
  private readonly interactionsByToken = new Map<string, Interaction>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly channelIds = new Map<string, string>();
  /** Users seen in interactions, for GET /users/:id. */
  private readonly knownUsers = new Map<string, Json>();
  private readonly commands = new Map<string, RegisteredCommand[]>();
  private readonly commandIdsByName = new Map<string, string>();
  private readonly faults: FaultState[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly defaultUser = defaultUser();
  private heartbeatAcks = true;
  private nextConnectionId = 1;
  private closed = false;
  private closing: Promise<void> | undefined;

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

  private notify(): void {
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
  private sleep(ms: number): Promise<void> {
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

  // ----- gateway -------------------------------------------------------------------------------

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
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
    this.send(conn, {
      op: 10,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ["fake-discord-gateway"] },
      s: null,
      t: null,
    });
    this.notify();
  }

  private onGatewayClose(conn: Connection, code: number): void {
    this.connections.delete(conn);
    const session = conn.session;
    if (session && session.conn === conn) {
      session.conn = undefined;
      session.live = false;
      if (SESSION_ENDING_CLOSE_CODES.has(code)) this.invalidate(session);
    }
    this.notify();
  }

  private send(conn: Connection, payload: Json): boolean {
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

  private onGatewayMessage(conn: Connection, raw: RawData): void {
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

  private tokenAccepted(token: unknown): token is string {
    if (typeof token !== "string" || token.length === 0) return false;
    return this.options.token === undefined || token === this.options.token;
  }

  private onIdentify(conn: Connection, d: Json): void {
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

  private onResume(conn: Connection, d: Json): void {
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

  private pushDispatch(
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

  private writeEntry(conn: Connection, entry: DispatchEntry): void {
    if (this.send(conn, { op: 0, t: entry.t, s: entry.s, d: entry.d }) && !entry.written) {
      entry.written = true;
      entry.onWrite?.();
    }
  }

  private flushPending(session: Session): void {
    if (this.current.get(session.shardId) !== session) return;
    const queued = this.pending.get(session.shardId) ?? [];
    this.pending.delete(session.shardId);
    for (const item of queued) this.pushDispatch(session, item.t, item.d, item.onWrite);
  }

  /** Ends a session: no RESUME possible; dispatches it never wrote go to the next session. */
  private invalidate(session: Session): void {
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

  private currentShardCount(): number {
    for (const session of this.current.values()) return session.shardCount;
    return this.options.shards;
  }

  private dispatchToShard(shard: number, t: string, d: unknown, onWrite: () => void): void {
    const session = this.current.get(shard);
    if (session) {
      this.pushDispatch(session, t, d, onWrite);
      return;
    }
    const queue = this.pending.get(shard) ?? [];
    queue.push({ t, d, onWrite });
    this.pending.set(shard, queue);
  }

  private targets(shard?: number): Connection[] {
    return [...this.connections].filter((c) => shard === undefined || c.session?.shardId === shard);
  }

  private pause(conn: Connection): void {
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

  private botUser(): Json {
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

  private apiUser(user: FakeUser): Json {
    return {
      id: user.id,
      username: user.username ?? `user${user.id.slice(-4)}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
      public_flags: 0,
    };
  }

  private application(): Json {
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

  private readyPayload(session: Session, guilds: string[]): Json {
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

  private channelFor(guildId: string): string {
    let id = this.channelIds.get(guildId);
    if (!id) {
      id = makeSnowflake();
      this.channelIds.set(guildId, id);
    }
    return id;
  }

  private channelPayload(guildId: string): Json {
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

  private guildPayload(guildId: string): Json {
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

  private commandIdFor(name: string, guildId: string): string {
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

  private createInteraction(
    kind: "command" | "autocomplete" | "button",
    type: number,
    guildId: string,
    fakeUser: FakeUser,
    name: string,
    data: Json,
    extra: Json,
    sourceMessageId: string | undefined,
  ): Interaction {
    if (this.closed) throw new Error("fake Discord is closed");
    const createdAt = performance.now();
    const id = makeSnowflake();
    // Shaped like Discord's (base64 of "interaction:<id>:<secret>") and URL-safe, because
    // undici percent-encodes characters such as ":" in the path.
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString("hex")}`).toString(
      "base64url",
    );
    const user = this.apiUser(fakeUser);
    this.knownUsers.set(fakeUser.id, user);
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      guild_id: guildId,
      guild: { id: guildId, locale: "en-US", features: [] },
      channel_id: this.channelFor(guildId),
      channel: this.channelPayload(guildId),
      member: {
        ...memberPayload(
          user,
          fakeUser.roles ?? [],
          new Date(Date.now() - 86_400_000).toISOString(),
        ),
        permissions: permissionString(fakeUser.permissions, DEFAULT_MEMBER_PERMISSIONS),
      },
      app_permissions: permissionString(this.options.appPermissions, DEFAULT_APP_PERMISSIONS),
      locale: fakeUser.locale ?? "en-US",
      guild_locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": guildId },
      context: 0,
      attachment_size_limit: 10_485_760,
      data,
      ...extra,
    };
    const shard = shardForGuild(guildId, this.currentShardCount());
    const interaction = new Interaction(
      this,
      id,
      token,
      kind,
      type,
      guildId,
      this.channelFor(guildId),
      shard,
      user,
      name,
      sourceMessageId,
      payload,
      createdAt,
    );
    this.interactions.push(interaction);
    this.interactionsById.set(id, interaction);
    this.interactionsByToken.set(token, interaction);
    this.dispatchToShard(shard, "INTERACTION_CREATE", payload, () => interaction.markDelivered());
    this.notify();
    return interaction;
  }

  sendCommand(input: CommandInput): InteractionHandle {
    const guildId = input.guildId ?? this.guildId;
    const data: Json = { id: this.commandIdFor(input.name, guildId), name: input.name, type: 1 };
    const options = toApiOptions(input.options);
    if (options) data.options = options;
    if (input.resolved !== undefined) data.resolved = input.resolved;
    return this.createInteraction(
      "command",
      2,
      guildId,
      input.user ?? this.defaultUser,
      `/${input.name}`,
      data,
      {},
      undefined,
    );
  }

  sendAutocomplete(input: CommandInput): InteractionHandle {
    if (!hasFocusedOption(input.options)) {
      throw new Error("sendAutocomplete needs one option with focused: true");
    }
    const guildId = input.guildId ?? this.guildId;
    const data: Json = {
      id: this.commandIdFor(input.name, guildId),
      name: input.name,
      type: 1,
      options: toApiOptions(input.options),
    };
    return this.createInteraction(
      "autocomplete",
      4,
      guildId,
      input.user ?? this.defaultUser,
      `/${input.name} (autocomplete)`,
      data,
      {},
      undefined,
    );
  }

  clickButton(input: ButtonInput): InteractionHandle {
    const stored = this.messages.get(input.message.id);
    const message = structuredClone(stored?.api ?? input.message.api);
    const ids: string[] = [];
    collectCustomIds(message.components, ids);
    if (!input.allowMissingComponent && !ids.includes(input.customId)) {
      throw new Error(
        `message ${input.message.id} has no component with custom_id "${input.customId}" (has: ${ids.join(", ") || "none"})`,
      );
    }
    if (!stored)
      this.messages.set(input.message.id, {
        api: message,
        interactionId: input.message.interactionId,
        loading: false,
      });
    const guildId = input.guildId ?? input.message.guildId ?? this.guildId;
    return this.createInteraction(
      "button",
      3,
      guildId,
      input.user ?? this.defaultUser,
      `button ${input.customId}`,
      { custom_id: input.customId, component_type: 2 },
      { message },
      input.message.id,
    );
  }

  // ----- messages ------------------------------------------------------------------------------

  private buildMessage(it: Interaction, id: string, data: Json, flags: number): Json {
    const embeds = Array.isArray(data.embeds)
      ? data.embeds.map((e) => (isRecord(e) ? { type: "rich", ...e } : e))
      : [];
    return {
      id,
      type: it.type === 2 ? 20 : 0,
      channel_id: it.channelId,
      guild_id: it.guildId,
      author: this.botUser(),
      content: typeof data.content === "string" ? data.content : "",
      embeds,
      components: Array.isArray(data.components) ? data.components : [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_channels: [],
      mention_everyone: false,
      pinned: false,
      tts: data.tts === true,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: {
        id: it.id,
        type: it.type,
        user: it.user,
        authorizing_integration_owners: { "0": it.guildId },
        ...(it.sourceMessageId ? { interacted_message_id: it.sourceMessageId } : {}),
      },
      interaction: { id: it.id, type: it.type, name: it.name.replace(/^\//, ""), user: it.user },
    };
  }

  private record(
    stored: StoredMessage,
    it: Interaction,
    source: RecordedMessage["source"],
    request: Json,
    at: number,
  ): RecordedMessage {
    const api = structuredClone(stored.api);
    const rec: RecordedMessage = {
      id: api.id as string,
      channelId: api.channel_id as string,
      guildId: typeof api.guild_id === "string" ? api.guild_id : undefined,
      interactionId: it.id,
      content: api.content as string,
      embeds: api.embeds as unknown[],
      components: api.components as unknown[],
      flags: api.flags as number,
      at,
      source,
      api,
    };
    if (request.allowed_mentions !== undefined) rec.allowed_mentions = request.allowed_mentions;
    return rec;
  }

  private createStoredMessage(it: Interaction, data: Json, loading: boolean): StoredMessage {
    const requested = typeof data.flags === "number" ? data.flags : 0;
    const flags =
      (requested & (MESSAGE_FLAG_EPHEMERAL | 4 | MESSAGE_FLAG_COMPONENTS_V2)) |
      (loading ? MESSAGE_FLAG_LOADING : 0);
    const stored: StoredMessage = {
      api: this.buildMessage(it, makeSnowflake(), loading ? {} : data, flags),
      interactionId: it.id,
      loading,
    };
    this.messages.set(stored.api.id as string, stored);
    return stored;
  }

  private applyEdit(stored: StoredMessage, data: Json): void {
    const api = stored.api;
    for (const key of ["content", "embeds", "components", "attachments", "poll"]) {
      if (data[key] !== undefined)
        api[key] = data[key] === null ? (key === "content" ? "" : []) : data[key];
    }
    if (Array.isArray(api.embeds))
      api.embeds = api.embeds.map((e) => (isRecord(e) ? { type: "rich", ...e } : e));
    const oldFlags = typeof api.flags === "number" ? api.flags : 0;
    const changeable = 4 | MESSAGE_FLAG_COMPONENTS_V2;
    const newFlags =
      typeof data.flags === "number" ? data.flags & changeable : oldFlags & changeable;
    api.flags = (oldFlags & MESSAGE_FLAG_EPHEMERAL) | newFlags;
    api.edited_timestamp = stored.loading ? null : new Date().toISOString();
    stored.loading = false;
  }

  // ----- REST ----------------------------------------------------------------------------------

  failNext(rule: FaultRule): void {
    this.faults.push({ ...rule, remaining: rule.count ?? 1 });
  }

  private takeFault(method: string, path: string): FaultState | undefined {
    const rule = this.faults.find((f) => {
      if (f.remaining <= 0 || (f.method && f.method.toUpperCase() !== method)) return false;
      // A /g or /y RegExp keeps lastIndex between calls; every request deserves a fresh match.
      f.path.lastIndex = 0;
      return f.path.test(path);
    });
    if (rule) rule.remaining--;
    return rule;
  }

  /** The body, or undefined when it is over Discord's upload limit. Rejects if the client aborts. */
  private async readBody(req: IncomingMessage): Promise<Buffer | undefined> {
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

  private async parseBody(
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

  private writeReply(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | undefined;
    if (reply.body !== undefined && reply.status !== 204) {
      payload = JSON.stringify(reply.body);
      headers["Content-Type"] = "application/json";
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
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

  private faultReply(fault: FaultState): Reply {
    const status = fault.status ?? 500;
    const headers: Record<string, string> = {};
    const retryAfter = fault.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
    if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    if (status === 429) {
      headers["X-RateLimit-Scope"] = fault.global ? "global" : "user";
      if (fault.global) headers["X-RateLimit-Global"] = "true";
    }
    let body = fault.body;
    if (body === undefined) {
      body =
        status === 429
          ? {
              message: "You are being rate limited.",
              retry_after: retryAfter ?? 1,
              global: fault.global === true,
            }
          : {
              message: status >= 500 ? "Internal Server Error" : `${status}: fake-discord fault`,
              code: 0,
            };
    }
    return { status, body, headers };
  }

  private interactionFromPath(path: string): Interaction | undefined {
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback) return this.interactionsById.get(callback[1] as string);
    const webhook = /^\/webhooks\/\d+\/([^/]+)/.exec(path);
    if (webhook) return this.interactionsByToken.get(webhook[1] as string);
    return undefined;
  }

  private error(status: number, code: number, message: string, issues?: Issue[]): Reply {
    const body: DiscordErrorBody = { message, code };
    if (issues && issues.length > 0) body.errors = errorTree(issues);
    return { status, body };
  }

  private authorized(headers: IncomingHttpHeaders): boolean {
    const header = headers.authorization;
    if (typeof header !== "string" || !header.startsWith("Bot ")) return false;
    return this.tokenAccepted(header.slice(4));
  }

  private route(
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
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
    if (webhook && method === "POST") {
      return this.onFollowUp(webhook[1] as string, webhook[2] as string, query, body);
    }
    return this.error(404, 0, "404: Not Found");
  }

  private onCommands(
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

  private onCallback(id: string, token: string, query: URLSearchParams, body: unknown): Reply {
    const at = performance.now();
    const it = this.interactionsById.get(id);
    if (!it || it.token !== token) return this.error(404, 10062, "Unknown interaction");
    const cb: InteractionCallbackBody =
      isRecord(body) && typeof body.type === "number"
        ? (body as unknown as InteractionCallbackBody)
        : { type: Number.NaN };
    const attempt = (reply: Reply): Reply => {
      const response: RecordedResponse = {
        interactionId: it.id,
        body: structuredClone(cb),
        status: reply.status,
        accepted: reply.status < 300,
        query: Object.fromEntries(query),
        at,
      };
      if (reply.status >= 300) response.error = reply.body as DiscordErrorBody;
      it.callbacks.push(response);
      return reply;
    };

    if (it.ackType !== undefined) {
      return attempt(this.error(400, 40060, "Interaction has already been acknowledged."));
    }
    if (at - it.createdAt > this.options.interactionDeadlineMs) {
      return attempt(this.error(404, 10062, "Unknown interaction"));
    }
    const allowed = ALLOWED_CALLBACK_TYPES[it.type] ?? [];
    if (!allowed.includes(cb.type)) {
      return attempt(
        this.error(400, 50035, "Invalid Form Body", [
          {
            path: ["type"],
            code: "INTERACTION_RESPONSE_TYPE_INVALID",
            message: "Interaction response type is invalid for this interaction",
          },
        ]),
      );
    }
    const data: Json = isRecord(cb.data) ? cb.data : {};
    if (cb.type === 4 || cb.type === 7) {
      const issues = validateMessageData(data, ["data"]);
      if (issues.length > 0) return attempt(this.error(400, 50035, "Invalid Form Body", issues));
      if (cb.type === 4 && isEmptyMessage(data))
        return attempt(this.error(400, 50006, "Cannot send an empty message"));
    }
    if (cb.type === 8) {
      const issues = validateChoices(data);
      if (issues.length > 0) return attempt(this.error(400, 50035, "Invalid Form Body", issues));
    }

    it.ackType = cb.type;
    let message: StoredMessage | undefined;
    if (cb.type === 4 || cb.type === 5) {
      message = this.createStoredMessage(it, data, cb.type === 5);
      it.originalId = message.api.id as string;
      if (cb.type === 4) it.visibleReply = this.record(message, it, "callback", data, at);
    } else if ((cb.type === 6 || cb.type === 7) && it.sourceMessageId) {
      it.originalId = it.sourceMessageId;
      message = this.messages.get(it.sourceMessageId);
      if (message && cb.type === 7) {
        this.applyEdit(message, data);
        it.visibleReply = this.record(message, it, "callback", data, at);
      }
    }
    if (query.get("with_response") !== "true") return attempt({ status: 204 });
    return attempt({
      status: 200,
      body: {
        interaction: {
          id: it.id,
          type: it.type,
          ...(message
            ? {
                response_message_id: message.api.id,
                response_message_loading: message.loading,
                response_message_ephemeral:
                  ((message.api.flags as number) & MESSAGE_FLAG_EPHEMERAL) !== 0,
              }
            : {}),
        },
        resource: { type: cb.type, ...(message ? { message: structuredClone(message.api) } : {}) },
      },
    });
  }

  private findOwnedMessage(it: Interaction, messageId: string): StoredMessage | undefined {
    const id = messageId === "@original" ? it.originalId : messageId;
    if (!id) return undefined;
    const stored = this.messages.get(id);
    if (!stored) return undefined;
    // An interaction token reaches its own messages and the message its component sits on.
    return stored.interactionId === it.id || id === it.sourceMessageId ? stored : undefined;
  }

  private onWebhookMessage(
    method: string,
    appId: string,
    token: string,
    messageId: string,
    body: unknown,
  ): Reply {
    const at = performance.now();
    const it = this.interactionsByToken.get(token);
    if (appId !== this.applicationId || !it) return this.error(404, 10015, "Unknown Webhook");
    const stored = this.findOwnedMessage(it, messageId);
    if (!stored) return this.error(404, 10008, "Unknown Message");
    if (method === "GET") return { status: 200, body: stored.api };
    if (method === "DELETE") {
      this.messages.delete(stored.api.id as string);
      if (it.originalId === stored.api.id) it.originalId = undefined;
      return { status: 204 };
    }
    const data: Json = isRecord(body) ? body : {};
    const issues = validateMessageData(data, []);
    if (issues.length > 0) return this.error(400, 50035, "Invalid Form Body", issues);
    this.applyEdit(stored, data);
    const rec = this.record(stored, it, "edit", data, at);
    it.edits.push(rec);
    if (!it.visibleReply && (it.ackType === 5 || it.ackType === 6)) it.visibleReply = rec;
    return { status: 200, body: stored.api };
  }

  private onFollowUp(appId: string, token: string, query: URLSearchParams, body: unknown): Reply {
    const at = performance.now();
    const it = this.interactionsByToken.get(token);
    if (appId !== this.applicationId || !it || it.ackType === undefined) {
      return this.error(404, 10015, "Unknown Webhook");
    }
    const data: Json = isRecord(body) ? body : {};
    const issues = validateMessageData(data, []);
    if (issues.length > 0) return this.error(400, 50035, "Invalid Form Body", issues);
    if (isEmptyMessage(data)) return this.error(400, 50006, "Cannot send an empty message");
    let stored: StoredMessage;
    const original = it.originalId ? this.messages.get(it.originalId) : undefined;
    if (it.ackType === 5 && original?.loading) {
      // Discord fills the "thinking…" placeholder with the first follow-up after a deferral.
      stored = original;
      this.applyEdit(stored, data);
    } else {
      stored = this.createStoredMessage(it, data, false);
    }
    const rec = this.record(stored, it, "followUp", data, at);
    it.followUps.push(rec);
    if (!it.visibleReply) it.visibleReply = rec;
    return query.get("wait") === "true" ? { status: 200, body: stored.api } : { status: 204 };
  }

  // ----- shutdown ------------------------------------------------------------------------------

  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
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
