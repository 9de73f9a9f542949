/**
 * A {@link Reply} as a Discord message: its text as Discord markdown (every plain piece
 * escaped, so a passage or a question can never format or mention anything on its own),
 * passages and panels as embeds, buttons as one action row. Every message is fitted to
 * Discord's limits (`interactions/limits.ts`), mentions nobody, and shows no link previews
 * for links in its text.
 */
import {
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type BaseMessageOptions,
  ButtonStyle,
  ComponentType,
  hyperlink,
  type RESTPostAPIChannelMessageJSONBody,
  TimestampStyles,
  time,
} from "discord.js";
import { truncateAtWord } from "../core/text.js";
import { formatDate } from "../core/wording.js";
import { LIMITS } from "../interactions/limits.js";
import {
  type Line,
  type Panel,
  type Passage,
  type Reply,
  type Span,
  TENTATIVE_MARK,
} from "../interactions/reply.js";

/** Never ping: not users, not roles, not @everyone, not the replied-to user. */
export const NO_MENTIONS = Object.freeze({
  parse: [],
  users: [],
  roles: [],
  repliedUser: false,
}) as NonNullable<BaseMessageOptions["allowedMentions"]>;

/** The same rule in Discord's JSON, for a body sent without discord.js's message options. */
const NO_MENTIONS_JSON = Object.freeze({
  parse: [...(NO_MENTIONS.parse ?? [])],
  users: [...(NO_MENTIONS.users ?? [])],
  roles: [...(NO_MENTIONS.roles ?? [])],
  replied_user: NO_MENTIONS.repliedUser ?? false,
}) as APIAllowedMentions;

/** Longest passage shown in one embed; longer ones are cut around the emphasised sentence. */
const PASSAGE_ROOM = 3500;
/** Several passages in one message share Discord's 6000 characters across embeds. */
const SHARED_PASSAGE_ROOM = 5000;

/** Grey: passages that are not a confident answer do not take an outlet's colour. */
const TENTATIVE_COLOUR = 0x99aab5;

// Colours that read well on Discord's light and dark themes.
const PALETTE = [0x5865f2, 0x57f287, 0xfee75c, 0xeb459e, 0xed4245, 0x3ba55d, 0xfaa61a, 0x00a8fc];

// Anything with a scheme that a Discord client would make a link of.
const ANY_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>()[\]`]+/gi;

/**
 * The one way plain text reaches a message: every question, outlet name, passage and note,
 * whoever wrote it. Shown exactly as written and nothing more: Markdown is escaped (masked
 * links included); mentions, channel and command references, custom emoji and timestamps are
 * escaped so they show as text; `@everyone` and `@here` are broken with a zero-width space;
 * and a link is shown as code, so it is neither clickable nor previewed (links the bot means,
 * such as citations, are {@link Span} links and go another way).
 */
function escapeText(text: string, atLineStart: boolean): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(ANY_URL)) {
    out += escapePlain(text.slice(last, match.index));
    out += `\`${match[0]}\``;
    last = match.index + match[0].length;
  }
  // Line starts are the input's: links shown as code hold no line break.
  return escapeLineStarts(out + escapePlain(text.slice(last)), atLineStart);
}

/**
 * Escapes what formats only where a line starts: after each line break in `text`, and at its
 * beginning when the text begins a line of the message.
 */
function escapeLineStarts(text: string, atLineStart: boolean): string {
  return text.replace(
    LINE_MARKUP,
    (all: string, newline: string, indent: string, mark: string, offset: number) => {
      if (offset === 0 && newline === "" && !atLineStart) return all;
      const escaped = mark.endsWith(".") ? `${mark.slice(0, -1)}\\.` : `\\${mark}`;
      return `${newline}${indent}${escaped}`;
    },
  );
}

/** Characters that format wherever they are: each is shown as itself after a backslash. */
const INLINE_MARKUP = /[\\*_~|`[\]]/g;
/** What formats only at the start of a line: headings, quotes, list markers, numbered items. */
const LINE_MARKUP = /(^|\n)([ \t]*)([#>-]|\d+\.)/g;
/** What Discord turns into a mention, a reference, a custom emoji or a timestamp. */
const REFERENCE = /<(?=[@#/:]|a:|t:|id:)/g;
const PING = /@(everyone|here)/gi;

/**
 * Escapes text between links so that it shows as written. Every character that Markdown can
 * use anywhere is escaped, not only those that would pair up, so that a few linear regular
 * expressions do it (Discord shows an escaped punctuation character as itself). Line-start
 * syntax is escaped by {@link escapeText}, which knows where lines start.
 */
function escapePlain(text: string): string {
  return text.replace(INLINE_MARKUP, "\\$&").replace(REFERENCE, "\\<").replace(PING, "@\u200b$1");
}

function timestamp(iso: string, style: "date-time" | "relative"): string {
  const date = new Date(iso);
  return time(
    date,
    style === "relative" ? TimestampStyles.RelativeTime : TimestampStyles.LongDateTime,
  );
}

/** Where a line goes: message text gets no link previews; an embed shows none anyway. */
type Place = "content" | "embed";

function spanMarkdown(span: Span, place: Place, atLineStart: boolean): string {
  if (typeof span === "string") return escapeText(span, atLineStart);
  if ("strong" in span) return `**${spanMarkdown(span.strong, place, false)}**`;
  if ("code" in span) return `\`${span.code.replace(/`/g, "'")}\``;
  if ("link" in span) {
    const text = escapeText(span.link.replace(/[[\]]/g, ""), false);
    return place === "content" ? `[${text}](<${span.url}>)` : hyperlink(text, span.url);
  }
  if ("time" in span) return timestamp(span.time, span.style);
  return `\`\`\`\n${span.block.join("\n").replace(/```/g, "'''")}\n\`\`\``;
}

/** One line of a reply as Discord markdown. */
function lineMarkdown(line: Line, place: Place): string {
  return typeof line === "string"
    ? spanMarkdown(line, place, true)
    : line.map((span, i) => spanMarkdown(span, place, i === 0)).join("");
}

/** The passage with its best sentence in bold, cut to `room` characters around that sentence. */
function emphasise(passage: Passage, room: number): string {
  const { text, highlight } = passage;
  const valid =
    highlight.start >= 0 && highlight.end <= text.length && highlight.start < highlight.end;
  const start = valid ? highlight.start : 0;
  const end = valid ? highlight.end : 0;
  let before = text.slice(0, start);
  const sentence = truncateAtWord(text.slice(start, end), room);
  let after = text.slice(end);
  if (before.length + sentence.length + after.length > room) {
    // Keep the emphasised sentence whole and share what is left between both sides.
    const left = room - sentence.length;
    const keepAfter = Math.min(after.length, Math.max(Math.ceil(left / 2), left - before.length));
    const keepBefore = Math.max(0, left - keepAfter - 1);
    if (before.length > keepBefore)
      before = keepBefore === 0 ? "" : `…${before.slice(-keepBefore)}`;
    after = truncateAtWord(after, keepAfter);
  }
  const bold = sentence.trim() === "" ? "" : `**${escapeText(sentence, false)}**`;
  return `${escapeText(before, true)}${bold}${escapeText(after, before === "" && bold === "")}`;
}

/** A stable colour per outlet, so that the same outlet always looks the same. */
function outletColour(outlet: string): number {
  let hash = 0;
  for (const char of outlet) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length] as number;
}

/** One passage as an embed: outlet on top, headline linked to the article, date in the footer. */
function passageEmbed(passage: Passage, room: number, tentative: boolean): APIEmbed {
  const c = passage.citation;
  const mark = tentative
    ? `⚠ ${TENTATIVE_MARK[0]?.toUpperCase()}${TENTATIVE_MARK.slice(1)} · `
    : "";
  const where = `paragraph ${c.paragraph} of ${c.paragraphs}`;
  const position = passage.position;
  const which = position ? ` · passage ${position.index + 1} of ${position.of}` : "";
  return {
    author: { name: truncateAtWord(c.outlet, LIMITS.authorName) },
    title: truncateAtWord(c.headline, LIMITS.embedTitle),
    url: c.url,
    description: emphasise(passage, room),
    footer: { text: `${mark}${formatDate(c.published)} · ${where}${which}` },
    color: tentative ? TENTATIVE_COLOUR : outletColour(c.outlet),
  };
}

/** A panel as one embed: the groups that fit, and how many items did not rather than a cut link. */
function panelEmbed(panel: Panel): APIEmbed {
  const room = LIMITS.embedDescription - 200;
  const header = panel.header.map((line) => lineMarkdown(line, "embed"));
  const lines: string[] = [...header, ""];
  let used = header.join("\n").length;
  let omitted = 0;
  for (const group of panel.groups) {
    const heading = lineMarkdown(group.heading, "embed");
    if (used + heading.length + 1 > room) {
      omitted += group.items.length;
      continue;
    }
    lines.push(heading);
    used += heading.length + 1;
    for (const item of group.items) {
      const line = lineMarkdown(item, "embed");
      if (used + line.length + 1 > room) {
        omitted++;
        continue;
      }
      lines.push(line);
      used += line.length + 1;
    }
  }
  if (omitted > 0) lines.push("", lineMarkdown(panel.omitted(omitted), "embed"));
  return { title: panel.title, description: lines.join("\n"), color: 0x5865f2 };
}

/** The parts of a Discord message that a reply fills. */
export interface MessageParts {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** The reply's parts as Discord shows them, before fitting. */
function messageParts(reply: Reply): MessageParts {
  const lines = [...(reply.title === undefined ? [] : [reply.title]), ...(reply.notes ?? [])];
  const passages = reply.passages ?? [];
  const room =
    passages.length <= 1
      ? PASSAGE_ROOM
      : Math.max(200, Math.floor(SHARED_PASSAGE_ROOM / passages.length) - 200);
  const embeds = [
    ...passages.map((p) => passageEmbed(p, room, reply.tentative === true)),
    ...(reply.panel ? [panelEmbed(reply.panel)] : []),
  ];
  const buttons = reply.buttons ?? [];
  return {
    ...(lines.length > 0 && {
      content: lines.map((line) => lineMarkdown(line, "content")).join("\n"),
    }),
    ...(embeds.length > 0 && { embeds }),
    ...(buttons.length > 0 && {
      components: [
        {
          type: ComponentType.ActionRow,
          components: buttons.map((b) => ({
            type: ComponentType.Button,
            custom_id: b.id,
            label: b.label,
            style: b.primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
            disabled: b.disabled === true,
          })),
        },
      ],
    }),
  };
}

/** The message payload for a reply: fitted, mention-free, previews suppressed. */
export function toMessage(reply: Reply): BaseMessageOptions {
  const fitted = fitMessage(messageParts(reply));
  return {
    content: fitted.content ?? "",
    embeds: fitted.embeds ?? [],
    components: fitted.components ?? [],
    allowedMentions: NO_MENTIONS,
  };
}

/**
 * The same message as a body for `POST /channels/{channel.id}/messages`, which takes Discord's
 * JSON rather than discord.js's options: for a reply that could not go through the interaction.
 */
export function toChannelMessage(reply: Reply): RESTPostAPIChannelMessageJSONBody {
  const message = toMessage(reply);
  return {
    content: message.content ?? "",
    embeds: (message.embeds ?? []) as APIEmbed[],
    components: (message.components ??
      []) as APIActionRowComponent<APIComponentInMessageActionRow>[],
    allowed_mentions: NO_MENTIONS_JSON,
  };
}

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
 * Returns the message shortened to Discord's limits: content to 2000 characters, each embed part
 * to its own limit, at most 10 embeds, and all embeds together to 6000 characters (the last
 * embeds' descriptions give way first, then whole embeds are dropped).
 */
export function fitMessage(message: MessageParts): MessageParts {
  const fitted: MessageParts = { ...message };
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
