/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set; otherwise, on a terminal, the local
 * console. Without a token and without a terminal (a service manager, CI) there is nothing
 * useful to do, so it says why and exits with an error.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { openThreadedDesk } from "./desk/index-thread-client.js";
import { configFromEnvironment } from "./environment.js";
import { createLogger } from "./log.js";

const { values } = parseArgs({
  options: { console: { type: "boolean", default: false } },
  strict: true,
});

const config = configFromEnvironment();
let code: number;

if (config.discord.token !== undefined && !values.console) {
  const log = createLogger({ level: config.logLevel, secrets: [config.discord.token] });
  const shards = config.discord.shardCount;
  const manage = shards !== undefined && shards !== 1 && !config.discord.isShardProcess;
  if (manage) {
    const { runShards } = await import("./discord/shards.js");
    code = await runShards(config, log);
  } else {
    // The index thread boots while discord.js and the commands load, which takes as long:
    // start it first rather than after them. Calls made before it is ready wait for it.
    const desk = openThreadedDesk(config.seedsDir, config.seedsLabel, log);
    const { runBot } = await import("./discord/bot.js");
    code = await runBot(config, log, desk);
  }
} else if ((process.stdin.isTTY && process.stdout.isTTY) || values.console) {
  // The console talks to a person: log lines would land between answers, so they go to a
  // file, named when the console starts.
  const logFile = path.join(os.tmpdir(), "summit-desk-console.log");
  const log = createLogger({
    level: config.logLevel,
    destination: pino.destination({ dest: logFile, append: true, sync: true }),
  });
  const { runConsole } = await import("./console/console.js");
  code = await runConsole(config, log, {
    input: process.stdin,
    output: process.stdout,
    colour: process.stdout.isTTY === true,
    logFile,
  });
} else {
  process.stderr.write(
    [
      "Summit Desk cannot start: DISCORD_TOKEN is not set, and there is no terminal for the local console.",
      "  - To run the bot on Discord, set DISCORD_TOKEN in .env (see .env.example).",
      "  - To try it locally, run `npm start` in a terminal (or `npm start -- --console` to read from a pipe).",
      "",
    ].join("\n"),
  );
  code = 2;
}
process.exit(code);
