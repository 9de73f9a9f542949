/**
 * Turns Discord interactions into dispatcher calls and sends what comes back. Replies go out
 * directly in the interaction callback when they are ready in time (fast, and not subject to
 * discord.js's request throttle); only work that may take longer is deferred. A reply Discord
 * never took (rate limited past the deadline, see `rate-limits.ts`) goes out late instead
 * (`late-reply.ts`): never both, and never silently.
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
import { postLate } from "./late-reply.js";
import { neverDelivered } from "./rate-limits.js";
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
      const notice: Reply = {
        notes: ["I'm restarting — please try again in a minute."],
        ephemeral: true,
      };
      await this.#deliver(interaction, notice, () => replyTo(interaction, notice));
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
      const deferral = await this.#acknowledge(() => defer(interaction, ephemeral));
      const done = await work;
      readyAt = performance.now();
      const id = deferral.ok
        ? await this.#deliver(
            interaction,
            done,
            () => completeDeferred(interaction, done, ephemeral),
            // A public "thinking…" placeholder would stay above the late reply.
            ephemeral ? {} : { cleanup: () => interaction.deleteReply() },
          )
        : await this.#late(interaction, done, deferral.cause, true);
      this.#posted(done, id);
    } else {
      const direct = reply;
      this.#posted(
        direct,
        await this.#deliver(interaction, direct, () => replyTo(interaction, direct)),
      );
    }
    this.#replied(interaction, readyAt, started);
    // Per interaction, so at debug level: at hundreds a second, formatting and writing the
    // line costs more of the main thread than sending the reply. The metrics count them.
    this.log.debug(
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
      const deferral = await this.#acknowledge(() => interaction.deferUpdate());
      const done = await work;
      readyAt = performance.now();
      const reply = "update" in done ? done.update : done.reply;
      const id = deferral.ok
        ? await this.#deliver(interaction, reply, () => completeDeferredButton(interaction, done), {
            replaces: "update" in done,
          })
        : await this.#late(interaction, reply, deferral.cause, !("update" in done));
      this.#posted(reply, id);
    } else if ("update" in outcome) {
      const { update } = outcome;
      this.#posted(
        update,
        await this.#deliver(interaction, update, () => updateMessage(interaction, update), {
          replaces: true,
        }),
      );
    } else {
      const { reply } = outcome;
      this.#posted(
        reply,
        await this.#deliver(interaction, reply, () => replyTo(interaction, reply)),
      );
    }
    this.#replied(interaction, readyAt, started);
  }

  /**
   * Sends a reply through the interaction; if Discord never took it, sends it late instead
   * (after `cleanup`, which removes what the interaction already showed, if anything can).
   * Any other failure is thrown: it may have been delivered, and is not sent twice.
   */
  async #deliver(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    reply: Reply,
    send: () => Promise<string | undefined>,
    late: { replaces?: boolean; cleanup?: () => Promise<unknown> } = {},
  ): Promise<string | undefined> {
    try {
      return await send();
    } catch (error) {
      if (!neverDelivered(error)) throw error;
      const id = await this.#late(interaction, reply, error, late.replaces !== true);
      await late.cleanup?.().catch(() => undefined);
      return id;
    }
  }

  /** Acknowledges an interaction (a deferral); says why not when Discord never took it. */
  async #acknowledge(
    send: () => Promise<unknown>,
  ): Promise<{ ok: true } | { ok: false; cause: unknown }> {
    try {
      await send();
      return { ok: true };
    } catch (error) {
      if (!neverDelivered(error)) throw error;
      return { ok: false, cause: error };
    }
  }

  /**
   * A reply the interaction could not carry: posted in the channel, or logged if private. A
   * reply that replaces a message (a page of an answer) is posted without its buttons: they
   * stay on the message it was meant to replace, which keeps working.
   */
  async #late(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    reply: Reply,
    cause: unknown,
    keepButtons: boolean,
  ): Promise<string | undefined> {
    const id = await postLate(interaction, reply, { keepButtons, cause, log: this.log });
    if (id === undefined) {
      this.#undelivered++;
      this.observer?.undelivered?.(this.#label(interaction));
    }
    return id;
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
