/**
 * Turns Discord interactions into dispatcher calls and sends what comes back. Replies go out
 * directly in the interaction callback when they are ready in time (fast, and not subject to
 * discord.js's request throttle); only work that may take longer is deferred.
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  GuildMember,
  type Interaction,
  PermissionFlagsBits,
} from "discord.js";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { buttonCommand } from "../interactions/button-id.js";
import type { ButtonOutcome, Invoker } from "../interactions/command.js";
import type { Dispatcher } from "../interactions/dispatch.js";
import type { InteractionObserver } from "../interactions/observer.js";
import type { Reply } from "../interactions/reply.js";
import {
  completeDeferred,
  completeDeferredButton,
  defer,
  replyTo,
  updateMessage,
} from "./respond.js";

/** Reply directly if the work is done within this time; otherwise defer and edit. */
const DIRECT_REPLY_MS = 2000;
/** Autocomplete cannot be deferred: answer with nothing rather than too late. */
const AUTOCOMPLETE_MS = 2000;

/** On shutdown, interactions keep being served until none has arrived for this long… */
const DRAIN_QUIET_MS = 250;
/** …but for no longer than this. */
const DRAIN_QUIET_MAX_MS = 3000;

const TIMED_OUT = Symbol("timed out");

function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class Router {
  readonly #inFlight = new Set<Promise<void>>();
  #accepting = true;
  #handled = 0;
  #undelivered = 0;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly admins: Config["admins"],
    private readonly log: Logger,
    private readonly observer?: InteractionObserver,
  ) {}

  /** Handles one interaction. Never throws; failures to deliver are logged. */
  handle(interaction: Interaction): void {
    this.#handled++;
    const work = this.#route(interaction).catch((error: unknown) => {
      this.#undelivered++;
      this.observer?.undelivered?.(this.#label(interaction));
      this.log.error(
        { err: error, interaction: interaction.id, type: interaction.type },
        "could not deliver a reply",
      );
    });
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /** Counts since start-up, for the status log. */
  get stats(): { handled: number; undelivered: number; inFlight: number } {
    return {
      handled: this.#handled,
      undelivered: this.#undelivered,
      inFlight: this.#inFlight.size,
    };
  }

  /**
   * Stops taking new interactions and waits (bounded) for those in flight. Interactions that
   * Discord had already sent when the signal came may still be in the socket's buffer; they
   * are in flight too, so new arrivals are served until the stream has been quiet briefly.
   */
  async drain(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const quietUntil = Math.min(deadline, Date.now() + DRAIN_QUIET_MAX_MS);
    while (Date.now() < quietUntil) {
      await this.#settle(quietUntil);
      const seen = this.#handled;
      await new Promise((r) => setTimeout(r, DRAIN_QUIET_MS));
      if (this.#handled === seen && this.#inFlight.size === 0) break;
    }
    this.#accepting = false;
    await this.#settle(deadline);
    return this.#inFlight.size;
  }

  /** Waits until nothing is in flight, or the deadline. */
  async #settle(deadline: number): Promise<void> {
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([
        Promise.allSettled([...this.#inFlight]),
        new Promise((r) => setTimeout(r, 100)),
      ]);
    }
  }

  async #route(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.#autocomplete(interaction);
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    if (!this.#accepting) {
      await replyTo(interaction, {
        notes: ["I'm restarting — please try again in a minute."],
        ephemeral: true,
      });
      return;
    }
    if (interaction.isChatInputCommand()) return this.#command(interaction);
    return this.#button(interaction);
  }

  /** A bounded name for metrics: a known command's name, or "unknown". */
  #label(interaction: Interaction): string {
    const known = (name: string) => this.dispatcher.commands.has(name);
    if (interaction.isButton()) {
      const name = buttonCommand(interaction.customId);
      return known(name) ? `/${name} button` : "unknown";
    }
    if (interaction.isCommand() || interaction.isAutocomplete()) {
      const name = interaction.commandName;
      if (!known(name)) return "unknown";
      return interaction.isAutocomplete() ? `/${name} autocomplete` : `/${name}`;
    }
    return "unknown";
  }

  /** Tells the observer how long a reply took, once it has been sent. */
  #replied(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    readyAt: number,
    started: number,
  ) {
    this.observer?.replied?.(this.#label(interaction), {
      workSeconds: (readyAt - started) / 1000,
      sinceCreatedSeconds: (Date.now() - interaction.createdTimestamp) / 1000,
    });
  }

  async #command(interaction: ChatInputCommandInteraction): Promise<void> {
    const started = performance.now();
    const command = this.dispatcher.commands.get(interaction.commandName);
    const ephemeral = this.dispatcher.isPrivate(interaction.commandName, interaction.options);
    const work = this.dispatcher.command(
      interaction.commandName,
      this.#invoker(interaction),
      interaction.options,
    );
    let reply: Reply | typeof TIMED_OUT = TIMED_OUT;
    if (!command?.slow) reply = await within(work, DIRECT_REPLY_MS);
    let readyAt = performance.now();
    if (reply === TIMED_OUT) {
      await defer(interaction, ephemeral);
      const done = await work;
      readyAt = performance.now();
      this.#posted(done, await completeDeferred(interaction, done, ephemeral));
    } else {
      this.#posted(reply, await replyTo(interaction, reply));
    }
    this.#replied(interaction, readyAt, started);
    this.log.info(
      {
        command: `/${interaction.commandName}`,
        user: interaction.user.id,
        guild: interaction.guildId,
        ms: Math.round(performance.now() - started),
      },
      "command answered",
    );
  }

  async #button(interaction: ButtonInteraction): Promise<void> {
    const started = performance.now();
    const work = this.dispatcher.button(
      interaction.customId,
      this.#invoker(interaction),
      interaction.message.id,
    );
    const outcome: ButtonOutcome | typeof TIMED_OUT = await within(work, DIRECT_REPLY_MS);
    let readyAt = performance.now();
    if (outcome === TIMED_OUT) {
      await interaction.deferUpdate();
      const done = await work;
      readyAt = performance.now();
      this.#posted(
        "update" in done ? done.update : done.reply,
        await completeDeferredButton(interaction, done),
      );
    } else if ("update" in outcome) {
      this.#posted(outcome.update, await updateMessage(interaction, outcome.update));
    } else {
      this.#posted(outcome.reply, await replyTo(interaction, outcome.reply));
    }
    this.#replied(interaction, readyAt, started);
  }

  /** Ties the answer a reply shows to the message Discord posted for it. */
  #posted(reply: Reply, messageId: string | undefined): void {
    if (messageId !== undefined) this.dispatcher.posted(reply, messageId);
  }

  async #autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const work = this.dispatcher.autocomplete(interaction.commandName, this.#invoker(interaction), {
      name: focused.name,
      value: String(focused.value),
    });
    const choices = await within(work, AUTOCOMPLETE_MS);
    await interaction.respond(choices === TIMED_OUT ? [] : choices);
  }

  #invoker(interaction: Interaction): Invoker {
    const { user, member } = interaction;
    let isAdmin = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
    if (this.admins.userIds.includes(user.id)) isAdmin = true;
    if (!isAdmin && member && this.admins.roleIds.length > 0) {
      const roles = member instanceof GuildMember ? [...member.roles.cache.keys()] : member.roles;
      isAdmin = roles.some((role) => this.admins.roleIds.includes(role));
    }
    return {
      id: user.id,
      name: user.username,
      isAdmin,
      ...(interaction.guildId !== null && { guildId: interaction.guildId }),
    };
  }
}
