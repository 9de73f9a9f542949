/**
 * The long-lived Discord bot: loads the commands and the index, connects to the gateway with
 * the Guilds intent only, answers interactions, and shuts down cleanly on SIGINT or SIGTERM
 * (no new interactions, the ones in flight finished, then the client destroyed and exit 0).
 */
import { Client, Events, GatewayIntentBits } from "discord.js";
import { Agent } from "undici";
import { ArticleAdder } from "../articles/add-and-reload.js";
import type { Config } from "../config.js";
import { CorpusError, formatProblem } from "../core/problem.js";
import type { ThreadedDesk } from "../desk/index-thread-client.js";
import { WARM_UP_QUESTIONS } from "../desk/protocol.js";
import { openQuestionLog } from "../insights/question-log.js";
import type { Command, CommandDesk, OptionReader } from "../interactions/command.js";
import { Cooldown } from "../interactions/cooldown.js";
import { Dispatcher } from "../interactions/dispatch.js";
import { loadCommands } from "../interactions/registry.js";
import { AnswerSessions } from "../interactions/sessions.js";
import type { Logger } from "../log.js";
import { BotMetrics } from "../ops/metrics.js";
import { watchDesk } from "../ops/watched-desk.js";
import { reportLoginFailure } from "./login-failure.js";
import { NO_MENTIONS, toMessage } from "./message.js";
import { observeClient, serveBotOps } from "./ops.js";
import { giveUpOnRateLimit } from "./rate-limits.js";
import { Router } from "./router.js";
import { shardAware } from "./shards.js";

/**
 * How long an idle REST connection is kept for the next request. undici's default (4 s, when
 * the server announces no limit, as Discord does not) closes the connections between two busy
 * moments, and every reply after a quiet spell would pay for a new connection and TLS
 * handshake; Discord keeps idle connections far longer than this.
 */
const REST_KEEP_ALIVE_MS = 30_000;

/** Options for the discord.js client; the REST base is set only when configured. */
export function clientOptions(discord: Config["discord"]): ConstructorParameters<typeof Client>[0] {
  return {
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    rest: {
      agent: new Agent({ keepAliveTimeout: REST_KEEP_ALIVE_MS }),
      // A reply rate limited past the time it can still arrive fails at once, and goes out
      // late another way (`rate-limits.ts`), rather than being retried until Discord refuses it.
      rejectOnRateLimit: giveUpOnRateLimit,
      // The client spreads `rest` over its defaults, so `{ api: undefined }` would erase the
      // Discord URL: pass the option only when a custom endpoint is configured.
      ...(discord.apiUrl !== undefined && { api: discord.apiUrl }),
    },
  };
}

/** How many times each warm-up reply is rendered: enough for the optimising compiler to start. */
const WARM_UP_RENDERS = 50;

/**
 * Asks {@link WARM_UP_QUESTIONS} through the commands, as a member's `/ask` runs, and renders
 * each reply as a Discord message, so that the first members to ask after a start do not pay
 * for compiling that code. Nothing is recorded or logged, no session outlives it, and a
 * failure only means a slower first answer.
 */
async function warmUp(
  commands: ReadonlyMap<string, Command>,
  desk: CommandDesk,
  log: Logger,
): Promise<void> {
  const started = performance.now();
  const dispatcher = new Dispatcher({
    commands,
    desk,
    sessions: new AnswerSessions(),
    cooldown: new Cooldown(Number.MAX_SAFE_INTEGER, 1),
    log: log.child({}, { level: "silent" }),
  });
  const invoker = { id: "0", name: "warm-up", isAdmin: false };
  try {
    for (const question of WARM_UP_QUESTIONS) {
      const options: OptionReader = {
        getString: (name) => (name === "question" ? question : null),
        getBoolean: () => null,
      };
      const reply = await dispatcher.command("ask", invoker, options);
      for (let i = 0; i < WARM_UP_RENDERS; i++) toMessage(reply);
    }
    log.info({ ms: Math.round(performance.now() - started) }, "warmed up");
  } catch (error) {
    log.warn({ err: error }, "warming up failed; the first answers may be slower");
  }
}

/**
 * Runs the bot until a signal stops it. Resolves with the process exit code.
 *
 * `desk` is the index being loaded (`openThreadedDesk`). The caller starts it before it imports
 * this module, so that the index thread boots while discord.js loads.
 */
export async function runBot(
  config: Readonly<Config>,
  log: Logger,
  desk: ThreadedDesk,
): Promise<number> {
  const token = config.discord.token;
  if (token === undefined) throw new Error("runBot needs DISCORD_TOKEN");
  // The index loads in its worker while the client connects, so start-up takes the longer of
  // the two rather than both; an interaction that arrives first waits for the index.
  const commands = await loadCommands();

  const client = new Client(clientOptions(config.discord));
  const metrics = new BotMetrics();
  const watched = watchDesk(desk, metrics);
  // Opens (or creates) the database and applies its migrations in its own thread.
  const questionLog = openQuestionLog(config.questionLog, log);
  const dispatcher = new Dispatcher({
    commands,
    desk: shardAware(watched.desk, client),
    articles: new ArticleAdder({
      seedsDir: config.seedsDir,
      seedsLabel: config.seedsLabel,
      allowLoopback: config.addArticle.allowLoopback,
    }),
    sessions: new AnswerSessions(),
    cooldown: new Cooldown(config.askRateLimit.limit, config.askRateLimit.windowMs),
    questionLog,
    log,
    observer: metrics,
  });
  const router = new Router(dispatcher, config.admins, log, metrics);
  const ops = observeClient(client, watched, metrics);
  // Up before the gateway and the index, so that a probe sees 503 rather than nothing. A shard
  // process never serves: its manager does (HTTP_PORT reaches it too, through the environment).
  const server = config.discord.isShardProcess ? undefined : await serveBotOps(config, ops, log);

  client.on(Events.InteractionCreate, (interaction) => router.handle(interaction));
  client.once(Events.ClientReady, (ready) => {
    log.info(
      { user: ready.user.tag, guilds: ready.guilds.cache.size, shards: ready.ws.shards.size },
      "connected to Discord",
    );
  });
  client.on(Events.ShardDisconnect, (event, shard) =>
    log.warn({ shard, code: event.code }, "gateway disconnected"),
  );
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, "gateway reconnecting"));
  client.on(Events.ShardResume, (shard, replayed) =>
    log.info({ shard, replayed }, "gateway resumed"),
  );
  client.on(Events.ShardError, (error, shard) => log.error({ err: error, shard }, "gateway error"));
  client.on(Events.Error, (error) => log.error({ err: error }, "client error"));
  client.on(Events.Warn, (message) => log.warn({ message }, "client warning"));
  client.rest.on("rateLimited", (info) =>
    log.warn(
      { route: info.route, retryAfter: info.retryAfter, global: info.global },
      "rate limited",
    ),
  );

  // A bug in one handler must not end the bot for everyone: log it and carry on.
  process.on("unhandledRejection", (reason) =>
    log.error({ err: reason }, "unhandled promise rejection"),
  );
  process.on("uncaughtException", (error) => log.error({ err: error }, "uncaught exception"));

  // `kill -USR2 <pid>`: one log line with memory and interaction counts (after a garbage
  // collection when node runs with --expose-gc), for operators and the soak test.
  const status = () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    log.info({ ...router.stats, heapUsed, rss, gcBeforeMeasuring: gc !== undefined }, "status");
  };
  process.on("SIGUSR2", status);

  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: NodeJS.Signals | "manager gone") => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down: finishing interactions in flight");
      const left = await router.drain();
      if (left > 0) log.warn({ left }, "some interactions did not finish in time");
      await client.destroy();
      await desk.close();
      await server?.close();
      await questionLog.close();
      log.info("stopped");
      resolve(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    // A shard's channel to its manager closes when the manager dies, even by SIGKILL, which
    // sends the shard no signal. Left running, it would keep its gateway session and answer
    // beside the shard that a restarted manager starts.
    if (config.discord.isShardProcess) process.once("disconnect", () => void stop("manager gone"));
  });

  log.info(
    { api: config.discord.apiUrl ?? "discord.com", commands: [...commands.keys()] },
    "logging in",
  );
  // Warmed as soon as the index is ready, while the gateway connects.
  const warmed = desk.ready.then(() => warmUp(commands, desk, log));
  const [opened, loggedIn] = await Promise.allSettled([warmed, client.login(token)]);
  if (opened.status === "rejected") {
    const error = opened.reason;
    if (!(error instanceof CorpusError)) throw error;
    log.fatal(
      { problems: error.problems.map(formatProblem) },
      `the articles in ${config.seedsLabel}/ have problems; fix them and start again`,
    );
    await client.destroy();
    await server?.close();
    return 1;
  }
  if (loggedIn.status === "rejected") {
    const failure = reportLoginFailure(loggedIn.reason, config.discord.apiUrl, log);
    await client.destroy();
    await desk.close();
    await server?.close();
    return failure.exitCode;
  }
  return stopped;
}
