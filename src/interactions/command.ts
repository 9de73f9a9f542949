/**
 * The contract every file in `commands/` fulfils. A command reads its options, calls the core
 * through the {@link Desk}, and returns a {@link Reply}: plain data that the Discord adapter
 * and the local console each render their own way. Commands never talk to Discord themselves.
 */
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { Logger } from "pino";
import type { ArticleAdder } from "../articles/add-and-reload.js";
import type { Desk, ReloadOutcome } from "../core/desk.js";
import type { QuestionLog } from "../insights/question-log.js";
import type { Reply } from "./reply.js";
import type { AnswerSessions } from "./sessions.js";

/**
 * What a button click produces: the clicked message changed in place, or a new message, which
 * is always shown only to the person who clicked.
 */
export type ButtonOutcome = { update: Reply } | { reply: Reply };

/** Who is using the command. */
export interface Invoker {
  id: string;
  /** Display name, for logs only. */
  name: string;
  /** May use admin commands: Manage Server, or listed in the configured admin ids or roles. */
  isAdmin: boolean;
  /** The server the command was used in; none in a direct message or the console. */
  guildId?: string;
}

/** With several shards, how a reload went on all of them (see `discord/shards.ts`). */
export interface ShardTally {
  total: number;
  reloaded: number;
  failed: number;
  busy: number;
}

/** A reload's outcome, with the other shards' tally when the bot runs sharded. */
export type ReloadReport = ReloadOutcome & { shards?: ShardTally };

/** The desk as commands see it: a reload may also report on the other shards. */
export type CommandDesk = Omit<Desk, "reload"> & { reload(): Promise<ReloadReport> };

export interface CommandContext {
  desk: CommandDesk;
  /** Adds an article from a link to the corpus folder, then reloads through `desk`. */
  articles: Pick<ArticleAdder, "add">;
  invoker: Invoker;
  sessions: AnswerSessions;
  /** Where answers and votes are recorded (`DISABLED_LOG` when QUESTION_LOG=off). */
  questionLog: QuestionLog;
  log: Logger;
  /** For a button click: the id of the message the clicked button is on. */
  message?: string;
}

/** Reads the options of one command use; discord.js's resolver and the console both provide it. */
export interface OptionReader {
  getString(name: string): string | null;
  getBoolean(name: string): boolean | null;
  /** Optional: only commands with a whole-number option read it. */
  getInteger?(name: string): number | null;
}

export interface Choice {
  name: string;
  value: string;
}

export interface Command {
  /** The registration payload, from a `SlashCommandBuilder`. */
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Work that may take longer than Discord's three seconds: the reply is deferred at once. */
  slow?: boolean;
  /** Uses of the command and of its buttons count against the per-user question limit. */
  cooldown?: boolean;
  /**
   * Whether the reply is visible only to the user. The one place this is decided: the
   * dispatcher marks the reply with it, and the bot needs it before deferring.
   */
  ephemeral?(options: OptionReader): boolean;
  execute(context: CommandContext, options: OptionReader): Promise<Reply>;
  /** Suggestions for the option being typed. */
  autocomplete?(context: CommandContext, focused: Choice): Promise<Choice[]>;
  /** Handles clicks on buttons whose custom id starts with `<command name>:`. */
  button?(context: CommandContext, customId: string): Promise<ButtonOutcome>;
}

/**
 * An expected problem with what the user asked for (an empty question, an expired button, not
 * an admin). Its message is shown to the user, privately; nothing is logged as an error.
 */
export class UserError extends Error {
  constructor(
    /** Stable identifier, for logs and tests. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}
