/**
 * Shared pieces of the endpoint: the JSON it speaks, the records it keeps of sessions,
 * connections and messages, and the constants Discord documents (flags, callback types per
 * interaction type, close codes that end a session, body size).
 */
import type { RawData, WebSocket } from "ws";
import type { FakeOption } from "./api.js";

export type Json = Record<string, unknown>;

/** A guild member as the gateway and interactions carry it. */
export function memberPayload(user: Json, roles: string[], joinedAt: string): Json {
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

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface DispatchEntry {
  s: number;
  t: string;
  d: unknown;
  written: boolean;
  onWrite?: () => void;
}

export interface PendingDispatch {
  t: string;
  d: unknown;
  onWrite?: () => void;
}

export interface Session {
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

export interface Connection {
  id: number;
  socket: WebSocket;
  session: Session | undefined;
}

export interface StoredMessage {
  api: Json;
  interactionId: string;
  /** A type 5 deferral's "thinking…" placeholder. */
  loading: boolean;
}

export interface RegisteredCommand extends Json {
  id: string;
  name: string;
  type: number;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const MAX_BODY_BYTES = 26 * 1024 * 1024;
export const MAX_BUFFERED_DISPATCHES = 5_000;
export const MESSAGE_FLAG_EPHEMERAL = 64;
export const MESSAGE_FLAG_LOADING = 128;
export const MESSAGE_FLAG_COMPONENTS_V2 = 32_768;
/** Callback types each interaction type may use (Discord's "interaction response types"). */
export const ALLOWED_CALLBACK_TYPES: Record<number, readonly number[]> = {
  2: [4, 5, 9, 12],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};
/** Close codes after which real Discord will not accept a RESUME of the session. */
export const SESSION_ENDING_CLOSE_CODES = new Set([
  1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014,
]);
export const COMMAND_NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Length as Discord counts it for limits: in code points, not UTF-16 units. */
export function charLength(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

export function permissionString(value: bigint | string | undefined, fallback: bigint): string {
  if (value === undefined) return fallback.toString();
  return typeof value === "bigint" ? value.toString() : BigInt(value).toString();
}

export function rawToString(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString("utf8");
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  return Buffer.from(raw).toString("utf8");
}

export function hasFocusedOption(options: FakeOption[] | undefined): boolean {
  return (options ?? []).some(
    (option) => option.focused === true || hasFocusedOption(option.options),
  );
}

export function toApiOptions(options: FakeOption[] | undefined): Json[] | undefined {
  return options?.map((option) => {
    const out: Json = { name: option.name, type: option.type };
    if (option.value !== undefined) out.value = option.value;
    if (option.focused !== undefined) out.focused = option.focused;
    if (option.options !== undefined) out.options = toApiOptions(option.options);
    return out;
  });
}
