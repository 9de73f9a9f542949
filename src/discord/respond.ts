/**
 * The one way replies reach Discord. Every reply is fitted to Discord's limits, mentions
 * nobody (`allowedMentions` parses nothing, whatever the text says), and shows no link
 * previews for links in its text. Errors are shown only to the person who caused them.
 */
import {
  type BaseMessageOptions,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
} from "discord.js";
import type { Reply } from "../interactions/command.js";
import { fitReply } from "../interactions/limits.js";

/** Never ping: not users, not roles, not @everyone, not the replied-to user. */
export const NO_MENTIONS = Object.freeze({
  parse: [],
  users: [],
  roles: [],
  repliedUser: false,
}) as NonNullable<BaseMessageOptions["allowedMentions"]>;

// A bare link in message text gets a preview card; <link> does not.
const BARE_URL = /(?<![<(])\bhttps?:\/\/[^\s<>)]+/gi;

/** The message payload for a reply: fitted, mention-free, previews suppressed. */
export function toMessage(reply: Reply): BaseMessageOptions {
  const fitted = fitReply({
    ...reply,
    ...(reply.content !== undefined && {
      content: reply.content.replace(BARE_URL, (url) => `<${url}>`),
    }),
  });
  return {
    content: fitted.content ?? "",
    embeds: fitted.embeds ?? [],
    components: fitted.components ?? [],
    allowedMentions: NO_MENTIONS,
  };
}

const flagsOf = (ephemeral: boolean | undefined) =>
  ephemeral ? MessageFlags.Ephemeral : undefined;

/** The first response to a command or a button click. */
export async function replyTo(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  reply: Reply,
): Promise<void> {
  const flags = flagsOf(reply.ephemeral);
  await interaction.reply({ ...toMessage(reply), ...(flags !== undefined && { flags }) });
}

/** Replaces the message a button belongs to. */
export async function updateMessage(interaction: ButtonInteraction, reply: Reply): Promise<void> {
  await interaction.update(toMessage(reply));
}

/** Defers the response, for work that may outlast Discord's three seconds. */
export async function defer(
  interaction: ChatInputCommandInteraction,
  ephemeral: boolean,
): Promise<void> {
  const flags = flagsOf(ephemeral);
  await interaction.deferReply(flags === undefined ? {} : { flags });
}

/**
 * Completes a deferred command response. A reply that must be private after a public deferral
 * replaces the placeholder with a private follow-up, since a deferred message keeps the
 * visibility it was deferred with.
 */
export async function completeDeferred(
  interaction: ChatInputCommandInteraction,
  reply: Reply,
  deferredEphemeral: boolean,
): Promise<void> {
  if (reply.ephemeral && !deferredEphemeral) {
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...toMessage(reply), flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.editReply(toMessage(reply));
}

/** After a deferred button update: change the message, or answer privately. */
export async function completeDeferredButton(
  interaction: ButtonInteraction,
  outcome: { update: Reply } | { reply: Reply },
): Promise<void> {
  if ("update" in outcome) {
    await interaction.editReply(toMessage(outcome.update));
  } else {
    await interaction.followUp({ ...toMessage(outcome.reply), flags: MessageFlags.Ephemeral });
  }
}
