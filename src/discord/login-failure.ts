/**
 * Why the bot could not connect to Discord at start-up, in one line a person can act on: the
 * network (a name that does not resolve, a refused connection, no answer), a token Discord
 * refuses (401), or Discord itself failing (5xx). Each kind has its own exit code, so that a
 * service manager can tell them apart and a shard manager can pass them on.
 */

export type LoginFailureKind = "network" | "token" | "outage" | "other";

export interface LoginFailure {
  kind: LoginFailureKind;
  /** One line: what happened and what to do next. */
  message: string;
  /** The process's exit code for this kind of failure. */
  exitCode: number;
}

/** Exit codes from sysexits.h: the service is unavailable; the configuration is wrong. */
export const LOGIN_EXIT_CODES: Readonly<Record<LoginFailureKind, number>> = Object.freeze({
  network: 69,
  outage: 69,
  token: 78,
  other: 1,
});

const DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"]);
const REFUSED = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);
const TIMEOUT = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "ABORT_ERR", "ESOCKETTIMEDOUT"]);

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and every error it wraps (`cause`, an AggregateError's `errors`), bounded. */
function chain(error: unknown): ErrorFields[] {
  const found: ErrorFields[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && found.length < 10) {
    const next = queue.shift();
    if (next === null || typeof next !== "object") continue;
    const fields = next as ErrorFields;
    found.push(fields);
    if (fields.cause !== undefined) queue.push(fields.cause);
    if (Array.isArray(fields.errors)) queue.push(...fields.errors);
  }
  return found;
}

/**
 * Describes why logging in failed. `server` names the API the bot was pointed at
 * (`DISCORD_API_URL`, or Discord), for the messages about the network.
 */
export function describeLoginFailure(error: unknown, server = "discord.com"): LoginFailure {
  const errors = chain(error);
  const codes = new Set(
    errors.map((e) => e.code).filter((c): c is string => typeof c === "string"),
  );
  const status = errors.map((e) => e.status).find((s): s is number => typeof s === "number");
  const failure = (kind: LoginFailureKind, message: string): LoginFailure => ({
    kind,
    message,
    exitCode: LOGIN_EXIT_CODES[kind],
  });
  const host = errors.map((e) => e.hostname).find((h): h is string => typeof h === "string");

  if (codes.has("TokenInvalid") || status === 401) {
    return failure(
      "token",
      "Discord refused the bot token (401 Unauthorized): reset it in the Developer Portal (your application → Bot → Reset Token), put the new one in DISCORD_TOKEN in .env, and start again.",
    );
  }
  if (status !== undefined && status >= 500) {
    return failure(
      "outage",
      `Discord is not working right now (it answered ${status}): nothing is wrong with your setup; see https://discordstatus.com and start again in a few minutes.`,
    );
  }
  if ([...codes].some((c) => DNS.has(c))) {
    return failure(
      "network",
      `Cannot reach Discord: the name ${host ?? server} could not be looked up (no network, or DNS is down): check the internet connection${server === "discord.com" ? "" : " and DISCORD_API_URL"}, then start again.`,
    );
  }
  if ([...codes].some((c) => REFUSED.has(c))) {
    return failure(
      "network",
      `Cannot reach Discord: the connection to ${server} was refused or cut: check the internet connection, a firewall or proxy${server === "discord.com" ? "" : ", and DISCORD_API_URL"}, then start again.`,
    );
  }
  if (
    [...codes].some((c) => TIMEOUT.has(c)) ||
    errors.some((e) => e.name === "AbortError" || e.name === "TimeoutError")
  ) {
    return failure(
      "network",
      `Cannot reach Discord: ${server} did not answer in time: check the internet connection, a firewall or proxy${server === "discord.com" ? "" : ", and DISCORD_API_URL"}, then start again.`,
    );
  }
  if (status !== undefined) {
    return failure(
      "other",
      `Discord refused to log the bot in (it answered ${status}): check DISCORD_TOKEN and DISCORD_API_URL, then start again; LOG_LEVEL=debug shows the details.`,
    );
  }
  // Named by its code or class only: a message could quote what was sent.
  const first = errors[0];
  const what = [...codes][0] ?? (typeof first?.name === "string" ? first.name : "unknown error");
  return failure(
    "other",
    `Could not log in to Discord (${what}): check DISCORD_TOKEN and the network, then start again; LOG_LEVEL=debug shows the details.`,
  );
}

/** The server a failure is about, as people know it: `DISCORD_API_URL`'s host, or Discord. */
export function serverName(apiUrl: string | undefined): string {
  if (apiUrl === undefined) return "discord.com";
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}

/**
 * Says why the bot cannot connect: one readable line on standard error, for the person at the
 * terminal, and the same line in the log for services. The error itself, with its stack, is
 * logged only at LOG_LEVEL=debug.
 */
export function reportLoginFailure(
  error: unknown,
  apiUrl: string | undefined,
  log: { debug(obj: object, msg: string): void; fatal(obj: object, msg: string): void },
): LoginFailure {
  const failure = describeLoginFailure(error, serverName(apiUrl));
  log.debug({ err: error }, "the error behind the failed login");
  log.fatal({ reason: failure.kind, exitCode: failure.exitCode }, failure.message);
  process.stderr.write(`${failure.message}\n`);
  return failure;
}
