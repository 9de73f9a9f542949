/**
 * The health and metrics server: a few GET routes on a plain node:http server, for a service
 * manager's or container platform's probes and for a Prometheus scraper. Off unless HTTP_PORT
 * is set. Nothing it serves is secret or written by a user: gateway states, counts, times.
 *
 * - `GET /health`: 200 when every shard's gateway is ready and the index is loaded, else 503;
 *   the JSON body says, per shard, why.
 * - `GET /health/live`: 200 while the process serves HTTP at all, for a liveness probe that
 *   must not restart a bot that is only reconnecting.
 * - `GET /metrics`: the Prometheus text format.
 *
 * Anything else is 404. Requests are bounded: headers and the whole request within a few
 * seconds, headers of at most 8 KB, a body (which no route reads) of at most 1 KB.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.js";
import type { IndexHealth } from "./watched-desk.js";

/** One shard's state, as `/health` reports it. */
export interface ShardHealth {
  shard: number;
  gateway: {
    /** discord.js's status name ("Ready", "Connecting", "Resuming", …), or why none is known. */
    status: string;
    /** Last heartbeat round trip in ms; null before the first. */
    pingMs: number | null;
  };
  index: IndexHealth;
  /** Seconds since the shard's process started. */
  uptimeSeconds: number;
}

export interface HealthReport {
  status: "ok" | "unavailable";
  shards: ShardHealth[];
}

/** Where the server gets what it serves; each call is bounded by the caller. */
export interface OpsSources {
  shards(): Promise<ShardHealth[]>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

const HEALTH_TIMEOUTS = Object.freeze({
  headersMs: 5_000,
  requestMs: 10_000,
  keepAliveMs: 5_000,
  maxHeaderBytes: 8 * 1024,
  maxBodyBytes: 1024,
});

/** Healthy when there is at least one shard and every one is connected with its index loaded. */
function healthOf(shards: ShardHealth[]): HealthReport {
  const ok =
    shards.length > 0 && shards.every((s) => s.gateway.status === "Ready" && s.index.loaded);
  return { status: ok ? "ok" : "unavailable", shards };
}

export async function startOpsServer(
  where: { host: string; port: number },
  sources: OpsSources,
  log: Logger,
): Promise<OpsServer> {
  const server = createServer({ maxHeaderSize: HEALTH_TIMEOUTS.maxHeaderBytes }, (req, res) => {
    handle(req, res, sources).catch((error: unknown) => {
      log.error({ err: error, path: routeName(req) }, "health server request failed");
      send(res, 500, "text/plain; charset=utf-8", "internal error\n");
    });
  });
  server.headersTimeout = HEALTH_TIMEOUTS.headersMs;
  server.requestTimeout = HEALTH_TIMEOUTS.requestMs;
  server.keepAliveTimeout = HEALTH_TIMEOUTS.keepAliveMs;
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(where.port, where.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  log.info({ host: where.host, port }, "health and metrics served");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The route a request names, for logs: one of ours or "other", never what was sent. */
function routeName(req: IncomingMessage): string {
  const path = (req.url ?? "").split("?")[0];
  return path === "/health" || path === "/health/live" || path === "/metrics" ? path : "other";
}

async function handle(req: IncomingMessage, res: ServerResponse, sources: OpsSources) {
  if (!(await bodyWithinLimit(req))) {
    send(res, 413, "text/plain; charset=utf-8", "request body too large\n", true);
    return;
  }
  const route = routeName(req);
  if ((req.method !== "GET" && req.method !== "HEAD") || route === "other") {
    send(res, 404, "text/plain; charset=utf-8", "not found\n");
    return;
  }
  const head = req.method === "HEAD";
  if (route === "/health/live") {
    send(res, 200, "application/json", `${JSON.stringify({ status: "live" })}\n`, false, head);
  } else if (route === "/health") {
    const report = healthOf(await sources.shards());
    const code = report.status === "ok" ? 200 : 503;
    send(res, code, "application/json", `${JSON.stringify(report)}\n`, false, head);
  } else {
    const { contentType, body } = await sources.metrics();
    send(res, 200, contentType, body, false, head);
  }
}

/** Reads and discards the body; false as soon as it is longer than the limit. */
function bodyWithinLimit(req: IncomingMessage): Promise<boolean> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > HEALTH_TIMEOUTS.maxBodyBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > HEALTH_TIMEOUTS.maxBodyBytes) {
        req.removeAllListeners("data");
        req.pause();
        resolve(false);
      }
    });
    req.on("end", () => resolve(true));
    req.on("error", () => resolve(false));
  });
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  close = false,
  headOnly = false,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...(close && { Connection: "close" }),
  });
  res.end(headOnly ? undefined : body);
}
