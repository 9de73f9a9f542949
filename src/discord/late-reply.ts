/**
 * The way a reply goes when the interaction can no longer carry it: Discord never took the
 * response (a rate limit that outlasts the 3 s deadline or the wait allowed for an edit, see
 * `rate-limits.ts`, or a refusal as too late). A public reply is posted in the channel as an
 * ordinary message, once, saying that it is late and for whom; it mentions nobody. A private
 * reply has no other private way to its user: it is not posted anywhere, and the log says so.
 */
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChannelMessageResult,
  Routes,
} from "discord.js";
import type { Logger } from "pino";
import type { Reply } from "../interactions/reply.js";
import { toChannelMessage } from "./message.js";

type Replied = ChatInputCommandInteraction | ButtonInteraction;

/** What the user sees first in a late message: that it is late, for whom and for what. */
function lateNote(interaction: Replied): string {
  const what = interaction.isButton() ? "your click" : `your /${interaction.commandName}`;
  return `⏱ Late reply for ${interaction.user.username}: Discord held back my answer to ${what}, so it is here instead.`;
}

/**
 * Posts a public reply in the interaction's channel and returns the message's id; logs a
 * private one as not delivered and returns undefined. `keepButtons` is false for a reply that
 * replaces an earlier message, whose buttons belong to that message. Throws when the channel
 * post fails (the bot may not be allowed to post there).
 */
export async function postLate(
  interaction: Replied,
  reply: Reply,
  options: { keepButtons: boolean; cause: unknown; log: Logger },
): Promise<string | undefined> {
  const where = { interaction: interaction.id, channel: interaction.channelId, err: options.cause };
  if (reply.ephemeral === true) {
    options.log.warn(
      where,
      "private reply not delivered: Discord did not take it in time, and it may not be shown in the channel",
    );
    return undefined;
  }
  if (interaction.channelId === null) throw new Error("the interaction has no channel to post in");
  const { buttons, title, ...rest } = reply;
  // The note first, then what the reply was about.
  const late: Reply = {
    ...rest,
    ...(options.keepButtons && buttons !== undefined && { buttons }),
    title: lateNote(interaction),
    notes: [...(title === undefined ? [] : [title]), ...(reply.notes ?? [])],
  };
  const posted = (await interaction.client.rest.post(
    Routes.channelMessages(interaction.channelId),
    {
      body: toChannelMessage(late),
    },
  )) as RESTPostAPIChannelMessageResult;
  options.log.warn({ ...where, message: posted.id }, "reply posted late in the channel");
  return posted.id;
}
