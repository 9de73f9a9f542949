/**
 * The one way replies reach Discord: each goes out as {@link toMessage} makes it (fitted to
 * Discord's limits, mentioning nobody, no link previews), public or private as the reply says.
 * Errors are shown only to the person who caused them.
 */
import { type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { Reply } from "../interactions/reply.js";
import { toMessage } from "./message.js";

const flagsOf = (ephemeral: boolean | undefined) =>
  ephemeral ? MessageFlags.Ephemeral : undefined;

/**
 * The first response to a command or a button click. Returns the id of the message it posted
 * (Discord returns it with the response), to tie the answer's buttons to it.
 */
export async function replyTo(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  reply: Reply,
): Promise<string | undefined> {
  const flags = flagsOf(reply.ephemeral);
  const response = await interaction.reply({
    ...toMessage(reply),
    ...(flags !== undefined && { flags }),
    withResponse: true,
  });
  return response.resource?.message?.id;
}

/** Replaces the message a button belongs to; returns that message's id. */
export async function updateMessage(interaction: ButtonInteraction, reply: Reply): Promise<string> {
  await interaction.update(toMessage(reply));
  return interaction.message.id;
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
 * Completes a deferred command response and returns the id of the message. A reply that must be private after a public deferral
 * replaces the placeholder with a private follow-up, since a deferred message keeps the
 * visibility it was deferred with.
 */
export async function completeDeferred(
  interaction: ChatInputCommandInteraction,
  reply: Reply,
  deferredEphemeral: boolean,
): Promise<string> {
  if (reply.ephemeral && !deferredEphemeral) {
    await interaction.deleteReply().catch(() => undefined);
    return (await interaction.followUp({ ...toMessage(reply), flags: MessageFlags.Ephemeral })).id;
  }
  return (await interaction.editReply(toMessage(reply))).id;
}

/** After a deferred button update: change the message, or answer privately; returns its id. */
export async function completeDeferredButton(
  interaction: ButtonInteraction,
  outcome: { update: Reply } | { reply: Reply },
): Promise<string> {
  if ("update" in outcome) {
    return (await interaction.editReply(toMessage(outcome.update))).id;
  }
  return (
    await interaction.followUp({ ...toMessage(outcome.reply), flags: MessageFlags.Ephemeral })
  ).id;
}
