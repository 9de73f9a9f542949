/**
 * Discord's message limits, and {@link fitReply}, which makes any reply respect them by
 * shortening text at a word boundary rather than letting Discord reject the message.
 */
import type { APIEmbed } from "discord.js";
import { truncateAtWord } from "../core/text.js";
import type { Reply } from "./command.js";

export const LIMITS = Object.freeze({
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Characters across all embeds of one message. */
  embedTotal: 6000,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  buttonLabel: 80,
});

/** Characters of an embed that count towards the 6000 total. */
function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (fitted.title !== undefined) fitted.title = truncateAtWord(fitted.title, LIMITS.embedTitle);
  if (fitted.description !== undefined) {
    fitted.description = truncateAtWord(fitted.description, LIMITS.embedDescription);
  }
  if (fitted.footer)
    fitted.footer = {
      ...fitted.footer,
      text: truncateAtWord(fitted.footer.text, LIMITS.footerText),
    };
  if (fitted.author)
    fitted.author = {
      ...fitted.author,
      name: truncateAtWord(fitted.author.name, LIMITS.authorName),
    };
  if (fitted.fields) {
    fitted.fields = fitted.fields.slice(0, LIMITS.embedFields).map((f) => ({
      ...f,
      name: truncateAtWord(f.name, LIMITS.fieldName) || "\u200b",
      value: truncateAtWord(f.value, LIMITS.fieldValue) || "\u200b",
    }));
  }
  // Only http(s) links are ever shown: a citation must not become a javascript: link.
  if (fitted.url !== undefined && !/^https?:\/\//i.test(fitted.url)) delete fitted.url;
  return fitted;
}

/**
 * Returns the reply shortened to Discord's limits: content to 2000 characters, each embed part
 * to its own limit, at most 10 embeds, and all embeds together to 6000 characters (the last
 * embeds' descriptions give way first, then whole embeds are dropped).
 */
export function fitReply(reply: Reply): Reply {
  const fitted: Reply = { ...reply };
  if (fitted.content !== undefined) fitted.content = truncateAtWord(fitted.content, LIMITS.content);
  if (fitted.embeds) {
    const embeds = fitted.embeds.slice(0, LIMITS.embeds).map(fitEmbed);
    let excess = embeds.reduce((n, e) => n + embedLength(e), 0) - LIMITS.embedTotal;
    for (let i = embeds.length - 1; i >= 0 && excess > 0; i--) {
      const embed = embeds[i] as APIEmbed;
      const description = embed.description ?? "";
      const keep = Math.max(0, description.length - excess);
      if (keep >= 100 || i === 0) {
        const shortened = truncateAtWord(description, keep);
        excess -= description.length - shortened.length;
        embeds[i] = { ...embed, description: shortened };
      } else {
        excess -= embedLength(embed);
        embeds.splice(i, 1);
      }
    }
    // Fields and footers are never that long in our replies, but the limit holds regardless.
    const total = () => embeds.reduce((n, e) => n + embedLength(e), 0);
    while (total() > LIMITS.embedTotal && embeds.length > 1) embeds.pop();
    const first = embeds[0];
    if (first && total() > LIMITS.embedTotal) {
      const fields = [...(first.fields ?? [])];
      while (embedLength({ ...first, fields }) > LIMITS.embedTotal && fields.length > 0)
        fields.pop();
      embeds[0] = { ...first, fields };
      if (total() > LIMITS.embedTotal && first.footer) {
        const { footer: _dropped, ...rest } = embeds[0] as APIEmbed;
        embeds[0] = rest;
      }
    }
    fitted.embeds = embeds;
  }
  if (!fitted.content && (fitted.embeds?.length ?? 0) === 0) fitted.content = "…";
  return fitted;
}
