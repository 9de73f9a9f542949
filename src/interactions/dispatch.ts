/**
 * Runs commands, buttons and autocomplete for any front end, with the two tiers of errors:
 * a {@link UserError} becomes a private message naming the problem; anything else is logged
 * with the command's name and becomes a short private apology. Nothing here throws.
 */
import type { Logger } from "pino";
import { IndexUnavailable } from "../core/desk.js";
import { DISABLED_LOG, type QuestionLog } from "../insights/question-log.js";
import { buttonCommand } from "./button-id.js";
import {
  type ButtonOutcome,
  type Choice,
  type Command,
  type CommandContext,
  type CommandDesk,
  type Invoker,
  type OptionReader,
  UserError,
} from "./command.js";
import type { Cooldown } from "./cooldown.js";
import { LIMITS } from "./limits.js";
import type { InteractionObserver } from "./observer.js";
import type { Reply } from "./reply.js";
import type { AnswerSessions } from "./sessions.js";

export const APOLOGY =
  "Sorry — something went wrong on my side while doing that. It has been logged; please try again.";

export interface DispatcherDeps {
  commands: ReadonlyMap<string, Command>;
  desk: CommandDesk;
  /** Where `/add-article` adds articles; without it (tests of other commands) it refuses. */
  articles?: CommandContext["articles"];
  sessions: AnswerSessions;
  cooldown: Cooldown;
  /** Where answers and votes are recorded; none by default. */
  questionLog?: QuestionLog;
  log: Logger;
  /** Told how each use went (the bot's metrics); optional. */
  observer?: InteractionObserver;
}

/** For a dispatcher given no place to add articles: every add is refused, nothing is read. */
const NO_ARTICLES: CommandContext["articles"] = {
  add: async () => ({ status: "refused", reason: "adding articles is not set up here" }),
};

export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  get commands(): ReadonlyMap<string, Command> {
    return this.deps.commands;
  }

  /**
   * Whether a command's reply is shown only to its user. Decided here once, from the options,
   * before the command runs: a front end that defers needs to know, and {@link command} marks
   * the reply with the same answer.
   */
  isPrivate(name: string, options: OptionReader): boolean {
    return this.deps.commands.get(name)?.ephemeral?.(options) ?? false;
  }

  /** Runs a slash command and returns what to show. */
  async command(name: string, invoker: Invoker, options: OptionReader): Promise<Reply> {
    const command = this.deps.commands.get(name);
    if (!command) {
      this.deps.observer?.handled("unknown", "refused");
      return problem(`I don't know the command /${name}. It may have been removed; try /ask.`);
    }
    const ephemeral = this.isPrivate(name, options);
    return this.#guard(
      `/${name}`,
      invoker,
      async () => {
        this.#checkCooldown(command, invoker);
        const reply = await command.execute(this.#context(invoker), options);
        return ephemeral ? { ...reply, ephemeral } : reply;
      },
      (reply) => reply,
    );
  }

  /**
   * Handles a click on a button of message `messageId`; the custom id starts with the owning
   * command's name and a colon.
   */
  async button(customId: string, invoker: Invoker, messageId: string): Promise<ButtonOutcome> {
    const name = buttonCommand(customId);
    const command = this.deps.commands.get(name);
    if (!command?.button) {
      this.deps.observer?.handled("unknown", "refused");
      return {
        reply: problem("That button doesn't belong to anything I know. Ask again with /ask."),
      };
    }
    const handler = command.button.bind(command);
    return this.#guard<ButtonOutcome>(
      `/${name} button`,
      invoker,
      async () => {
        this.#checkCooldown(command, invoker);
        const outcome = await handler({ ...this.#context(invoker), message: messageId }, customId);
        return "reply" in outcome ? { reply: { ...outcome.reply, ephemeral: true } } : outcome;
      },
      (reply) => ({ reply }),
    );
  }

  /** Ties the answer a reply shows to the message that shows it, once that is posted. */
  posted(reply: Reply, messageId: string): void {
    if (reply.session !== undefined) this.deps.sessions.attach(reply.session, messageId);
  }

  /** Suggestions for an option being typed; never more than Discord accepts, never an error. */
  async autocomplete(name: string, invoker: Invoker, focused: Choice): Promise<Choice[]> {
    const command = this.deps.commands.get(name);
    if (!command?.autocomplete) {
      this.deps.observer?.handled(command ? `/${name} autocomplete` : "unknown", "refused");
      return [];
    }
    try {
      const choices = await command.autocomplete(this.#context(invoker), focused);
      this.deps.observer?.handled(`/${name} autocomplete`, "answered");
      return choices
        .filter(
          (c) =>
            c.name.length > 0 &&
            c.name.length <= LIMITS.choiceName &&
            c.value.length <= LIMITS.choiceValue,
        )
        .slice(0, LIMITS.autocompleteChoices);
    } catch (error) {
      this.deps.log.error(
        { err: error, command: `/${name} autocomplete`, user: invoker.id },
        "autocomplete failed",
      );
      this.deps.observer?.handled(`/${name} autocomplete`, "failed");
      return [];
    }
  }

  #context(invoker: Invoker): CommandContext {
    const { desk, articles = NO_ARTICLES, sessions, log, questionLog = DISABLED_LOG } = this.deps;
    return { desk, articles, sessions, invoker, log, questionLog };
  }

  #checkCooldown(command: Command, invoker: Invoker): void {
    if (!command.cooldown) return;
    const wait = this.deps.cooldown.take(invoker.id);
    if (wait > 0) {
      throw new UserError(
        "cooldown",
        `Easy there — you're asking faster than I can keep up. Try again in ${Math.ceil(wait / 1000)} s.`,
      );
    }
  }

  async #guard<T>(
    what: string,
    invoker: Invoker,
    work: () => Promise<T>,
    wrap: (reply: Reply) => T,
  ): Promise<T> {
    const { observer } = this.deps;
    try {
      const done = await work();
      observer?.handled(what, "answered");
      return done;
    } catch (error) {
      if (error instanceof UserError) {
        this.deps.log.info({ command: what, user: invoker.id, problem: error.code }, "refused");
        observer?.handled(what, "refused");
        return wrap(problem(error.message));
      }
      if (error instanceof IndexUnavailable) {
        this.deps.log.warn({ command: what, user: invoker.id }, "refused: index unavailable");
        observer?.handled(what, "failed");
        return wrap(problem(unavailableMessage(error)));
      }
      this.deps.log.error({ err: error, command: what, user: invoker.id }, "command failed");
      observer?.handled(what, "failed");
      return wrap(problem(APOLOGY));
    }
  }
}

/** What a user is told while the index is being brought back after its thread stopped. */
function unavailableMessage(error: IndexUnavailable): string {
  return `⚠️ Sorry — ${error.message}. Please try again in a moment.`;
}

function problem(message: string): Reply {
  return { notes: [message], ephemeral: true };
}
