/**
 * Structured logs: one JSON object per line on standard output (pino). Secrets passed in
 * are replaced wherever they appear in a line, whatever field or error message carries them.
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

export function createLogger(options: LogOptions): Logger {
  const secrets = (options.secrets ?? []).filter(
    (s): s is string => typeof s === "string" && s.length >= 8,
  );
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: {
        paths: ["token", "*.token", "headers.authorization", "*.headers.authorization"],
        censor: "[redacted]",
      },
      hooks: {
        streamWrite: (line) =>
          secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), line),
      },
    },
    options.destination ?? standardOutput(),
  );
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
