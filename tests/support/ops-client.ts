/**
 * Reads the bot's health and metrics server as a probe or a scraper would: plain HTTP GETs on
 * 127.0.0.1, and the Prometheus text format parsed into one number per series.
 */
import type { BotProcess } from "./bot-process.js";

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export async function get(port: number, path: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    ...init,
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

/** The port the bot's server listens on, from its log line (HTTP_PORT=0 takes a free one). */
export async function opsPort(bot: BotProcess, timeoutMs = 30_000): Promise<number> {
  const line = await bot.waitForLog((l) => l.msg === "health and metrics served", timeoutMs);
  return line.port as number;
}

export interface ShardReport {
  shard: number;
  gateway: { status: string; pingMs: number | null };
  index: {
    loaded: boolean;
    articles?: number;
    paragraphs?: number;
    loadedAt?: string;
    lastReload?: { outcome: string; at: string; durationMs: number };
  };
  uptimeSeconds: number;
}

export interface HealthBody {
  status: "ok" | "unavailable";
  shards: ShardReport[];
}

export async function health(port: number): Promise<{ status: number; body: HealthBody }> {
  const answer = await get(port, "/health");
  return { status: answer.status, body: JSON.parse(answer.body) as HealthBody };
}

/** Polls `/health` until its status is `want`, failing after `timeoutMs` with the last body. */
export async function healthBecomes(
  port: number,
  want: number,
  timeoutMs = 60_000,
): Promise<HealthBody> {
  const deadline = Date.now() + timeoutMs;
  let last: { status: number; body: HealthBody } | undefined;
  while (Date.now() < deadline) {
    last = await health(port);
    if (last.status === want) return last.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/health did not answer ${want} within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

/** Every sample of a Prometheus text page, keyed `name{labels}` as written. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

export async function metrics(port: number): Promise<Map<string, number>> {
  return parseMetrics((await get(port, "/metrics")).body);
}

/** How much a series grew between two scrapes (absent counts as 0). */
export function grew(before: Map<string, number>, after: Map<string, number>, series: string) {
  return (after.get(series) ?? 0) - (before.get(series) ?? 0);
}
