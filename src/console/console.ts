/**
 * The local console: the bot's commands in a terminal, without Discord. It runs the same
 * command files through the same dispatcher as the bot and prints the replies as text.
 */
import os from "node:os";
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { ArticleAdder } from "../articles/add-and-reload.js";
import type { Config } from "../config.js";
import { Library } from "../core/library.js";
import { CorpusError, formatProblem } from "../core/problem.js";
import { openQuestionLog } from "../insights/question-log.js";
import type { Invoker } from "../interactions/command.js";
import { Cooldown } from "../interactions/cooldown.js";
import { Dispatcher } from "../interactions/dispatch.js";
import { loadCommands } from "../interactions/registry.js";
import type { Reply } from "../interactions/reply.js";
import { AnswerSessions } from "../interactions/sessions.js";
import type { Logger } from "../log.js";
import { helpText, parseLine } from "./grammar.js";
import { buttonsOf, renderReply } from "./render.js";

export interface ConsoleIO {
  input: Readable;
  output: Writable;
  colour: boolean;
  /** Where the log is written, said at start so that a failure can be looked up. */
  logFile: string;
}

/** Runs the console until the input ends or the user types /quit. Resolves with an exit code. */
export async function runConsole(
  config: Readonly<Config>,
  log: Logger,
  io: ConsoleIO,
): Promise<number> {
  const write = (text: string) => io.output.write(`${text}\n`);
  let library: Library;
  try {
    library = await Library.open(config.seedsDir, config.seedsLabel);
  } catch (error) {
    if (error instanceof CorpusError) {
      write(
        `The articles in ${config.seedsLabel}/ have problems:\n${error.problems.map(formatProblem).join("\n")}`,
      );
      return 1;
    }
    throw error;
  }
  const commands = await loadCommands();
  const questionLog = openQuestionLog(config.questionLog, log);
  const help = helpText(commands);
  const dispatcher = new Dispatcher({
    commands,
    desk: library,
    articles: new ArticleAdder({
      seedsDir: config.seedsDir,
      seedsLabel: config.seedsLabel,
      allowLoopback: config.addArticle.allowLoopback,
    }),
    sessions: new AnswerSessions(),
    // The same limit as on Discord, so that an admin can see it at work.
    cooldown: new Cooldown(config.askRateLimit.limit, config.askRateLimit.windowMs),
    questionLog,
    log,
  });
  const invoker: Invoker = { id: "local-console", name: os.userInfo().username, isAdmin: true };
  const { articles, paragraphs } = await library.serving();

  write(
    [
      "Summit Desk — LOCAL CONSOLE (not connected to Discord)",
      `Answering from ${articles} articles (${paragraphs} paragraphs) in ${config.seedsLabel}/. Replies are shown as the bot would post them.`,
      "To run the bot on Discord, put DISCORD_TOKEN in .env (see .env.example and the README), then npm start.",
      `Logs go to ${io.logFile}.`,
      "",
      help,
    ].join("\n"),
  );

  // Each reply shown is a message with its own id; a button update changes it in place.
  let last: { reply: Reply; id: string } | undefined;
  let messages = 0;
  const show = (reply: Reply, id = String(++messages)) => {
    write(`\n${renderReply(reply, { colour: io.colour })}\n`);
    dispatcher.posted(reply, id);
    if (!reply.ephemeral || (reply.buttons?.length ?? 0) > 0) last = { reply, id };
  };

  const lines = createInterface({ input: io.input, output: io.output, terminal: false });
  io.output.write("> ");
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === "/quit" || line === "/exit") break;
    if (line === "") {
      io.output.write("> ");
      continue;
    }
    if (line === "/help") {
      write(help);
    } else if (/^\d+$/.test(line)) {
      const button = last
        ? buttonsOf(last.reply).find((b) => b.number === Number(line))
        : undefined;
      if (!last || !button) write("There is no such button under the last reply.");
      else {
        const outcome = await dispatcher.button(button.customId, invoker, last.id);
        if ("update" in outcome) show(outcome.update, last.id);
        else show(outcome.reply);
      }
    } else {
      const parsed = parseLine(line, commands);
      if (!parsed) write("Commands start with /. Type /help for the list.");
      else if (!parsed.ok) write(parsed.problem);
      else show(await dispatcher.command(parsed.name, invoker, parsed.options));
    }
    io.output.write("> ");
  }
  lines.close();
  await questionLog.close();
  write("");
  return 0;
}
