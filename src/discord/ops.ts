/**
 * Health and metrics for the Discord bot: what each shard's gateway and index are doing, the
 * client's reconnects and REST errors counted, and the HTTP server (`ops/http-server.ts`)
 * started where it belongs: in the bot's process, or with shards in the manager, which asks
 * every shard process for its part.
 */

import type { ShardingManager } from "discord.js";
import { type Client, Status } from "discord.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { type OpsServer, type ShardHealth, startOpsServer } from "../ops/http-server.js";
import {
  type BotMetrics,
  METRICS_CONTENT_TYPE,
  type MetricsJson,
  sumMetrics,
} from "../ops/metrics.js";
import type { WatchedDesk } from "../ops/watched-desk.js";

/** How long the manager waits for one shard's answer before reporting it as not answering. */
const SHARD_ANSWER_MS = 3_000;

/** The client properties through which the manager asks a shard process for its state. */
interface OpsClient extends Client {
  summitDeskHealth?: () => ShardHealth[];
  summitDeskMetrics?: () => Promise<MetricsJson>;
}

/** This process's shards: each gateway's state, and the index they share. */
function shardsOfProcess(client: Client, watched: WatchedDesk): ShardHealth[] {
  const configured = client.options.shards;
  const ids = Array.isArray(configured) ? configured : [0];
  const index = watched.health();
  const uptimeSeconds = Math.round(process.uptime());
  return ids.map((id) => {
    const shard = client.ws.shards.get(id);
    const status = shard === undefined ? "NotConnected" : (Status[shard.status] ?? "Unknown");
    const ping = shard?.ping ?? -1;
    return {
      shard: id,
      gateway: { status, pingMs: ping >= 0 ? ping : null },
      index,
      uptimeSeconds,
    };
  });
}

/**
 * Counts the client's reconnects and REST errors, and lets a ShardingManager ask this process
 * for its health and metrics. Returns the sources for a server in this process.
 */
export function observeClient(client: Client, watched: WatchedDesk, metrics: BotMetrics) {
  client.on("shardReconnecting", () => metrics.reconnecting());
  client.rest.on("response", (_request, response) => {
    if (response.status >= 400) metrics.restError(response.status);
  });
  const ops = client as OpsClient;
  ops.summitDeskHealth = () => shardsOfProcess(client, watched);
  ops.summitDeskMetrics = () => metrics.registry.getMetricsAsJSON();
  return {
    shards: async () => shardsOfProcess(client, watched),
    metrics: async () => ({
      contentType: METRICS_CONTENT_TYPE,
      body: await metrics.registry.metrics(),
    }),
  };
}

/** In the bot's own process (one shard, or several in one process): serves it directly. */
export async function serveBotOps(
  config: Readonly<Config>,
  sources: ReturnType<typeof observeClient>,
  log: Logger,
): Promise<OpsServer | undefined> {
  if (config.http === undefined) return undefined;
  return startOpsServer(config.http, sources, log);
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no answer in time")), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * In the manager: `/health` lists every shard the manager runs, asking each process; a shard
 * whose process is down or does not answer in time is reported as such, and the whole is 503.
 * `/metrics` is the sum of every shard process's metrics.
 */
export async function serveManagerOps(
  config: Readonly<Config>,
  manager: ShardingManager,
  totalShards: number,
  log: Logger,
): Promise<OpsServer | undefined> {
  if (config.http === undefined) return undefined;
  const ask = <T>(id: number, fn: (client: OpsClient) => T): Promise<Awaited<T>> => {
    const shard = manager.shards.get(id);
    if (!shard) return Promise.reject(new Error("not started"));
    return bounded(shard.eval(fn) as Promise<Awaited<T>>, SHARD_ANSWER_MS);
  };
  const ids = Array.from({ length: totalShards }, (_, id) => id);
  return startOpsServer(
    config.http,
    {
      shards: async () => {
        const answers = await Promise.allSettled(
          ids.map((id) => ask(id, (c) => c.summitDeskHealth?.())),
        );
        return ids.map((id, i): ShardHealth => {
          const answer = answers[i];
          const own =
            answer?.status === "fulfilled" ? answer.value?.find((s) => s.shard === id) : undefined;
          if (own) return own;
          const shard = manager.shards.get(id);
          const status = !shard?.process ? "NoProcess" : "NotAnswering";
          return {
            shard: id,
            gateway: { status, pingMs: null },
            index: { loaded: false },
            uptimeSeconds: 0,
          };
        });
      },
      metrics: async () => {
        const answers = await Promise.allSettled(
          ids.map((id) => ask(id, (c) => c.summitDeskMetrics?.())),
        );
        const each = answers.flatMap((a) => (a.status === "fulfilled" && a.value ? [a.value] : []));
        return { contentType: METRICS_CONTENT_TYPE, body: await sumMetrics(each) };
      },
    },
    log,
  );
}
