/**
 * Structured logs: one JSON object per line on standard output (pino).
 *
 * Credentials are kept out of every line here, in one place, whatever logs them:
 * - the secrets passed in (the bot token), wherever they appear: any field, an error's
 *   message or stack, the message of the line;
 * - interaction and webhook tokens in URL paths (`/interactions/<id>/<token>/callback`,
 *   `/webhooks/<application id>/<token>/…`), which are credentials for 15 minutes and which
 *   discord.js's REST errors carry in their `url`;
 * - fields that hold credentials or what was sent with them (`token`, `authorization`,
 *   `requestBody`), at any depth, in errors and their causes too.
 */
import pino, { type Logger } from "pino";

export type { Logger } from "pino";

export interface LogOptions {
  level: string;
  /** Values that must never be written, such as the bot token. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where to write; standard output by default. */
  destination?: pino.DestinationStream;
}

export const REDACTED = "[redacted]";

/** Fields whose whole value is replaced, at any depth (compared ignoring case). */
const REDACTED_FIELDS = new Set(["token", "authorization", "requestbody"]);

/** The path segment after `/interactions/<id>/` or `/webhooks/<id>/` is a token. */
const TOKEN_IN_PATH = /(\/(?:interactions|webhooks)\/[^/\s"'?#\\]+\/)[^/\s"'?#\\]+/gi;

/** How deep objects are followed; deeper values are left out, not written unchecked. */
const MAX_DEPTH = 10;

export function createLogger(options: LogOptions): Logger {
  const redactText = textRedactor(options.secrets ?? []);
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      formatters: { log: (object) => redactObject(object, redactText) as Record<string, unknown> },
      // Errors were already turned into plain objects above, with credentials removed.
      serializers: { err: (value: unknown) => value },
      // The last guard: the whole line, message included, whatever a serializer added.
      hooks: { streamWrite: redactText },
    },
    options.destination ?? standardOutput(),
  );
}

/** Returns a function that removes the secrets and URL-path tokens from a text. */
function textRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  // Short values would match ordinary text; a real token is far longer.
  const kept = secrets.filter((s): s is string => typeof s === "string" && s.length >= 8);
  return (text) =>
    kept
      .reduce((out, secret) => out.split(secret).join(REDACTED), text)
      .replace(TOKEN_IN_PATH, `$1${REDACTED}`);
}

/**
 * A copy of `value` with credentials removed: errors become plain objects (message, stack,
 * their own fields and their cause), credential fields are replaced, and every string is
 * passed through `redactText`.
 */
function redactObject(
  value: unknown,
  redactText: (text: string) => string,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((v) => redactObject(v, redactText, depth + 1, seen));
    const source: object = value instanceof Error ? pino.stdSerializers.err(value) : value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(source)) {
      out[key] = REDACTED_FIELDS.has(key.toLowerCase())
        ? REDACTED
        : redactObject(field, redactText, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * Standard output, written asynchronously so that logging never holds up an interaction, and
 * flushed when the process exits so that the last lines are not lost.
 */
function standardOutput(): pino.DestinationStream {
  const destination = pino.destination({ fd: 1, sync: false });
  process.once("exit", () => destination.flushSync());
  return destination;
}
