/**
 * Sharding: for a bot in thousands of servers, discord.js's ShardingManager runs several shard
 * processes, each with its own gateway connection and its own copy of the index. A reload on
 * one shard must reach every shard, or servers on different shards would get different answers.
 */
import { fileURLToPath } from "node:url";
import {
  type Client,
  REST,
  type RESTGetAPIGatewayBotResult,
  Routes,
  ShardingManager,
} from "discord.js";
import type { Config } from "../config.js";
import { type Desk, overriding, type ReloadOutcome } from "../core/desk.js";
import type { CommandDesk, ReloadReport } from "../interactions/command.js";
import type { Logger } from "../log.js";
import { COMPILED, MODULE_EXTENSION } from "../runtime.js";
import { LOGIN_EXIT_CODES, reportLoginFailure } from "./login-failure.js";
import { serveManagerOps } from "./ops.js";

const MAIN = fileURLToPath(new URL(`../main${MODULE_EXTENSION}`, import.meta.url));

/** The client property through which other shards trigger this shard's local reload. */
interface ReloadableClient extends Client {
  summitDeskReload?: () => Promise<ReloadOutcome>;
}

/**
 * Runs the manager: starts one process per shard (each runs `src/main.ts` and sees that it is
 * a shard) and restarts any that exit. Resolves with the exit code on SIGINT or SIGTERM.
 */
export async function runShards(config: Readonly<Config>, log: Logger): Promise<number> {
  const { token, apiUrl } = config.discord;
  if (token === undefined) throw new Error("runShards needs DISCORD_TOKEN");
  let shards = config.discord.shardCount ?? 1;
  if (shards === "auto") {
    // The manager's own "auto" always asks discord.com; ask the configured API instead.
    const rest = new REST(apiUrl === undefined ? {} : { api: apiUrl }).setToken(token);
    try {
      shards = ((await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult).shards;
    } catch (error) {
      return reportLoginFailure(error, apiUrl, log).exitCode;
    }
  }
  const manager = new ShardingManager(MAIN, {
    token,
    totalShards: shards,
    mode: "process",
    // Not while starting: a shard that cannot log in would be started again and again. Once
    // every shard is up, one that exits is restarted.
    respawn: false,
    // Shard processes run what this process runs: the compiled entry point, or the TypeScript
    // one through tsx.
    execArgv: COMPILED ? [] : ["--import", import.meta.resolve("tsx")],
  });
  const exitCodes = new Map<number, number | null>();
  manager.on("shardCreate", (shard) => {
    log.info({ shard: shard.id }, "shard process started");
    shard.on("death", (child) => {
      const exitCode = "exitCode" in child ? child.exitCode : null;
      exitCodes.set(shard.id, exitCode);
      log.error({ shard: shard.id, exitCode }, "shard process died");
    });
  });

  // Up before the shards, so that a probe sees 503 while they start rather than nothing.
  const server = await serveManagerOps(config, manager, shards, log);

  const stopAll = (signal: NodeJS.Signals) => {
    manager.respawn = false;
    return Promise.all(
      manager.shards.map(
        (shard) =>
          new Promise<void>((done) => {
            const child = shard.process;
            if (!child || child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill(signal);
          }),
      ),
    );
  };
  const stopped = new Promise<number>((resolve) => {
    const stop = async (signal: NodeJS.Signals) => {
      log.info({ signal }, "stopping all shards");
      await stopAll(signal);
      await server?.close();
      resolve(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

  log.info({ shards }, "starting shards");
  try {
    await manager.spawn({ amount: shards, timeout: 120_000 });
  } catch (error) {
    await stopAll("SIGTERM");
    await server?.close();
    return shardStartFailure(error, exitCodes, log);
  }
  manager.respawn = true;
  return stopped;
}

/**
 * A shard that could not start. When it exited because it could not log in, it has already
 * said why on standard error, in the same words as a single process: its exit code is passed
 * on. Anything else gets one line here; the stack only at LOG_LEVEL=debug.
 */
function shardStartFailure(
  error: unknown,
  exitCodes: ReadonlyMap<number, number | null>,
  log: Logger,
): number {
  const known = new Set(Object.values(LOGIN_EXIT_CODES).filter((c) => c !== 1));
  const code = [...exitCodes.values()].find((c): c is number => c !== null && known.has(c));
  log.debug({ err: error }, "the error behind the failed start");
  if (code !== undefined) {
    log.fatal({ exitCode: code }, "a shard could not connect to Discord; all shards stopped");
    return code;
  }
  const what =
    (error as { code?: unknown })?.code === "ShardingReadyTimeout"
      ? "a shard did not connect within 2 minutes"
      : exitCodes.size > 0
        ? `a shard stopped before it connected (exit code ${[...exitCodes.values()][0]})`
        : `the shards could not be started (${error instanceof Error ? error.name : String(error)})`;
  const message = `Summit Desk could not start: ${what}; the lines above say why, and LOG_LEVEL=debug shows more.`;
  log.fatal({}, message);
  process.stderr.write(`${message}\n`);
  return 1;
}

/**
 * In a shard process: answers from this shard's desk, but a reload reloads every shard and
 * reports this shard's outcome with a count of how the others went. Every other call goes to
 * `desk` as it is.
 */
export function shardAware(desk: Desk, client: Client): CommandDesk {
  const shard = client.shard;
  if (!shard) return desk;
  (client as ReloadableClient).summitDeskReload = () => desk.reload();
  return overriding(desk, {
    async reload(): Promise<ReloadReport> {
      // Runs in every shard process, this one included; must only use the client it is given.
      const outcomes = (await shard.broadcastEval((c) =>
        (c as ReloadableClient).summitDeskReload?.(),
      )) as Array<ReloadOutcome | undefined>;
      const mine = outcomes[shard.ids[0] ?? 0] ?? (await desk.reload());
      const count = (status: ReloadOutcome["status"]) =>
        outcomes.filter((o) => o?.status === status).length;
      return {
        ...mine,
        shards: {
          total: outcomes.length,
          reloaded: count("reloaded"),
          failed: count("failed"),
          busy: count("busy"),
        },
      };
    },
  });
}
