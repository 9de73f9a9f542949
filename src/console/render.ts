/**
 * Renders a {@link Reply} as terminal text, so the local console shows what the bot would
 * post: the same words, the same emphasis, the same buttons (numbered, to press by typing).
 */

import { formatDate } from "../core/wording.js";
import {
  type Line,
  type Panel,
  type Passage,
  type Reply,
  type Span,
  TENTATIVE_MARK,
} from "../interactions/reply.js";

export interface RenderOptions {
  /** Use ANSI bold and dim; off when the output is not a terminal. */
  colour: boolean;
  now?: Date;
}

export interface ConsoleButton {
  number: number;
  label: string;
  customId: string;
}

function styles(options: RenderOptions) {
  return {
    bold: (s: string) => (options.colour ? `\u001b[1m${s}\u001b[22m` : `*${s}*`),
    dim: (s: string) => (options.colour ? `\u001b[2m${s}\u001b[22m` : s),
  };
}

function formatTimestamp(date: Date, style: "date-time" | "relative", now: Date): string {
  if (style === "relative") {
    const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
    if (Math.abs(seconds) < 60) return "just now";
    const minutes = Math.round(seconds / 60);
    if (Math.abs(minutes) < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
    const hours = Math.round(minutes / 60);
    return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  }
  return date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function spanText(span: Span, options: RenderOptions): string {
  if (typeof span === "string") return span;
  if ("strong" in span) return styles(options).bold(span.strong);
  if ("code" in span) return `\`${span.code}\``;
  if ("link" in span) return `${span.link} (${span.url})`;
  if ("time" in span)
    return formatTimestamp(new Date(span.time), span.style, options.now ?? new Date());
  return span.block.join("\n");
}

/** One line of a reply as terminal text. */
function lineText(line: Line, options: RenderOptions): string {
  return typeof line === "string" ? line : line.map((s) => spanText(s, options)).join("");
}

function renderPassage(passage: Passage, options: RenderOptions, tentative: boolean): string {
  const { bold, dim } = styles(options);
  const { text, highlight, citation: c, position } = passage;
  const valid =
    highlight.start >= 0 && highlight.end <= text.length && highlight.start < highlight.end;
  const start = valid ? highlight.start : 0;
  const end = valid ? highlight.end : 0;
  const sentence = text.slice(start, end);
  const body = `${text.slice(0, start)}${sentence.trim() === "" ? "" : bold(sentence)}${text.slice(end)}`;
  const which = position ? ` · passage ${position.index + 1} of ${position.of}` : "";
  return [
    `┌ ${c.outlet}${tentative ? `  (${TENTATIVE_MARK})` : ""}`,
    `│ ${c.headline}${dim(`  <${c.url}>`)}`,
    "│",
    ...body.split("\n").map((l) => `│ ${l}`),
    `└ ${dim(`${formatDate(c.published)} · paragraph ${c.paragraph} of ${c.paragraphs}${which}`)}`,
  ].join("\n");
}

function renderPanel(panel: Panel, options: RenderOptions): string {
  const lines = [
    ...panel.header,
    "",
    ...panel.groups.flatMap((g) => [g.heading, ...g.items]),
  ].flatMap((l) => lineText(l, options).split("\n"));
  return [`│ ${panel.title}`, "│", ...lines.map((l) => `│ ${l}`)].join("\n");
}

/**
 * The buttons of a reply that can be pressed, numbered from 1 in reading order. A disabled
 * button is not shown, so it takes no number.
 */
export function buttonsOf(reply: Reply): ConsoleButton[] {
  return (reply.buttons ?? [])
    .filter((b) => b.disabled !== true)
    .map((b, i) => ({ number: i + 1, label: b.label, customId: b.id }));
}

/** The reply as the console shows it. */
export function renderReply(reply: Reply, options: RenderOptions): string {
  const parts: string[] = [];
  if (reply.ephemeral) parts.push("(only you can see this)");
  const lines = [...(reply.title === undefined ? [] : [reply.title]), ...(reply.notes ?? [])];
  if (lines.length > 0) parts.push(lines.map((l) => lineText(l, options)).join("\n"));
  for (const passage of reply.passages ?? [])
    parts.push(renderPassage(passage, options, reply.tentative === true));
  if (reply.panel) parts.push(renderPanel(reply.panel, options));
  const buttons = buttonsOf(reply);
  if (buttons.length > 0) {
    parts.push(
      `Buttons: ${buttons.map((b) => `[${b.number}] ${b.label}`).join("   ")}   (type the number to press)`,
    );
  }
  if (parts.length === 0 || (parts.length === 1 && reply.ephemeral)) parts.push("…");
  return parts.join("\n\n");
}
