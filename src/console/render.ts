/**
 * Renders a {@link Reply} as terminal text, so the local console shows what the bot would
 * post: the same words, the same emphasis, the same buttons (numbered, to press by typing).
 */
import type { APIEmbed } from "discord.js";
import type { Reply } from "../interactions/command.js";
import { fitReply } from "../interactions/limits.js";

export interface RenderOptions {
  /** Use ANSI bold and dim; off when the output is not a terminal. */
  colour: boolean;
  now?: Date;
}

export interface ConsoleButton {
  number: number;
  label: string;
  customId: string;
  disabled: boolean;
}

/** Turns Discord markdown into plain (or ANSI-styled) text. */
function markdownToText(markdown: string, options: RenderOptions): string {
  const bold = (s: string) => (options.colour ? `\u001b[1m${s}\u001b[22m` : `*${s}*`);
  return markdown
    .replace(/<t:(\d+)(?::([tTdDfFR]))?>/g, (_, seconds: string, style?: string) =>
      formatTimestamp(new Date(Number(seconds) * 1000), style, options.now ?? new Date()),
    )
    .replace(/\[([^\]]+)\]\(<?([^)>\s]+)>?\)/g, "$1 ($2)")
    .replace(/<(https?:\/\/[^>\s]+)>/g, "$1")
    .replace(/\*\*(.+?)\*\*/gs, (_, inner: string) => bold(inner))
    .replace(/```\n?/g, "")
    .replace(/\\([\\*_~`|>#\-[\]()])/g, "$1");
}

function formatTimestamp(date: Date, style: string | undefined, now: Date): string {
  if (style === "R") {
    const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
    if (Math.abs(seconds) < 60) return "just now";
    const minutes = Math.round(seconds / 60);
    if (Math.abs(minutes) < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
    const hours = Math.round(minutes / 60);
    return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  }
  return date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function renderEmbed(embed: APIEmbed, options: RenderOptions): string {
  const dim = (s: string) => (options.colour ? `\u001b[2m${s}\u001b[22m` : s);
  const lines: string[] = [];
  if (embed.author) lines.push(`┌ ${embed.author.name}`);
  if (embed.title)
    lines.push(
      `│ ${markdownToText(embed.title, options)}${embed.url ? dim(`  <${embed.url}>`) : ""}`,
    );
  if (embed.description) {
    if (lines.length > 0) lines.push("│");
    for (const line of markdownToText(embed.description, options).split("\n"))
      lines.push(`│ ${line}`);
  }
  for (const field of embed.fields ?? [])
    lines.push(`│ ${field.name}: ${markdownToText(field.value, options)}`);
  if (embed.footer) lines.push(`└ ${dim(embed.footer.text)}`);
  return lines.join("\n");
}

/** The buttons of a reply, numbered from 1 in reading order. */
export function buttonsOf(reply: Reply): ConsoleButton[] {
  const buttons: ConsoleButton[] = [];
  for (const row of reply.components ?? []) {
    for (const component of row.components) {
      if ("custom_id" in component && "label" in component) {
        buttons.push({
          number: buttons.length + 1,
          label: component.label ?? "",
          customId: component.custom_id,
          disabled: component.disabled === true,
        });
      }
    }
  }
  return buttons;
}

/** The reply as the console shows it, limits applied exactly as on Discord. */
export function renderReply(reply: Reply, options: RenderOptions): string {
  const fitted = fitReply(reply);
  const parts: string[] = [];
  if (fitted.ephemeral) parts.push("(only you can see this)");
  if (fitted.content) parts.push(markdownToText(fitted.content, options));
  for (const embed of fitted.embeds ?? []) parts.push(renderEmbed(embed, options));
  const buttons = buttonsOf(fitted).filter((b) => !b.disabled);
  if (buttons.length > 0) {
    parts.push(
      `Buttons: ${buttons.map((b) => `[${b.number}] ${b.label}`).join("   ")}   (type the number to press)`,
    );
  }
  return parts.join("\n\n");
}
