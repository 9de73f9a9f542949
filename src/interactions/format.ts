/**
 * How answers, sources and reload reports look in a Discord message. Markdown from the
 * articles and from users is escaped, so a passage can never format (or mention) anything
 * on its own; the sentence that best answers the question is the one shown in bold.
 */
import { type APIEmbed, escapeMarkdown, hyperlink, TimestampStyles, time } from "discord.js";
import type { AnswerResult } from "../core/answer.js";
import type { ReloadOutcome, Sources } from "../core/library.js";
import { formatProblem } from "../core/problem.js";
import { truncateAtWord } from "../core/text.js";
import { formatDate } from "../core/wording.js";
import type { ReloadReport } from "./command.js";
import { LIMITS } from "./limits.js";

/** Longest passage shown in one embed; longer ones are cut around the emphasised sentence. */
const PASSAGE_ROOM = 3500;

const escapeText = (text: string) =>
  escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });

/** The passage with its best sentence in bold, cut to `room` characters around that sentence. */
function emphasise(result: AnswerResult, room = PASSAGE_ROOM): string {
  const { text, highlight } = result;
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
  const bold = sentence.trim() === "" ? "" : `**${escapeText(sentence)}**`;
  return `${escapeText(before)}${bold}${escapeText(after)}`;
}

// Colours that read well on Discord's light and dark themes.
const PALETTE = [0x5865f2, 0x57f287, 0xfee75c, 0xeb459e, 0xed4245, 0x3ba55d, 0xfaa61a, 0x00a8fc];

/** A stable colour per outlet, so that the same outlet always looks the same. */
function outletColour(outlet: string): number {
  let hash = 0;
  for (const char of outlet) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length] as number;
}

/** One passage as an embed: outlet on top, headline linked to the article, date in the footer. */
export function passageEmbed(
  result: AnswerResult,
  position?: { index: number; of: number },
  room?: number,
): APIEmbed {
  const c = result.citation;
  const where = `paragraph ${c.paragraph} of ${c.paragraphs}`;
  const which = position ? ` · passage ${position.index + 1} of ${position.of}` : "";
  return {
    author: { name: truncateAtWord(c.outlet, LIMITS.authorName) },
    title: truncateAtWord(c.headline, LIMITS.embedTitle),
    url: c.url,
    description: emphasise(result, room),
    footer: { text: `${formatDate(c.published)} · ${where}${which}` },
    color: outletColour(c.outlet),
  };
}

/** The question, quoted, as the message text above the answer. */
export function questionLine(question: string, outlet?: string): string {
  const from = outlet === undefined ? "" : ` (from ${escapeText(outlet)} only)`;
  return `**Q:** ${escapeText(truncateAtWord(question, 400))}${from}`;
}

/** `/source`: the outlets, each with its articles linked, dates and paragraph counts. */
export function sourcesEmbeds(sources: Sources, outlet?: string): APIEmbed[] {
  const loaded = new Date(sources.loadedAt);
  const outlets =
    outlet === undefined ? sources.outlets : sources.outlets.filter((o) => o.name === outlet);
  const articleCount = outlets.reduce((n, o) => n + o.articles.length, 0);
  const paragraphCount = outlets.reduce(
    (n, o) => n + o.articles.reduce((m, a) => m + a.paragraphs, 0),
    0,
  );
  const header =
    `${outlets.length} outlet${outlets.length === 1 ? "" : "s"}, ${articleCount} article${articleCount === 1 ? "" : "s"}, ` +
    `${paragraphCount} paragraphs. Index loaded ${time(loaded, TimestampStyles.LongDateTime)} (${time(loaded, TimestampStyles.RelativeTime)}).`;

  // Fill the description line by line, and say how much did not fit rather than cutting a link.
  const room = LIMITS.embedDescription - 200;
  const lines: string[] = [header, ""];
  let used = header.length;
  let omitted = 0;
  for (const o of outlets) {
    const heading = `**${escapeText(o.name)}**`;
    if (used + heading.length + 1 > room) {
      omitted += o.articles.length;
      continue;
    }
    lines.push(heading);
    used += heading.length + 1;
    for (const a of o.articles) {
      const headline = escapeText(truncateAtWord(a.headline, 120)).replace(/[[\]]/g, "");
      const line = `• ${hyperlink(headline, a.url)} — ${formatDate(a.published)} · ${a.paragraphs} ¶`;
      if (used + line.length + 1 > room) {
        omitted++;
        continue;
      }
      lines.push(line);
      used += line.length + 1;
    }
  }
  if (omitted > 0) {
    lines.push(
      "",
      `…and ${omitted} more article${omitted === 1 ? "" : "s"}. Use \`/source outlet:\` to list one outlet.`,
    );
  }
  return [{ title: "Sources", description: lines.join("\n"), color: 0x5865f2 }];
}

/** What an admin sees after `/reload`. */
export function reloadReport(outcome: ReloadReport): string {
  const report = reloadOutcomeText(outcome);
  const shards = outcome.shards;
  if (!shards || shards.total <= 1) return report;
  const tally =
    shards.reloaded === shards.total
      ? `All ${shards.total} shards reloaded.`
      : `Shards: ${shards.reloaded} of ${shards.total} reloaded, ${shards.failed} failed, ${shards.busy} already reloading.`;
  return `${report}\n${tally}`;
}

function reloadOutcomeText(outcome: ReloadOutcome): string {
  const serving = outcome.serving;
  const loaded = new Date(serving.loadedAt);
  const now = `Serving ${serving.articles} articles, ${serving.paragraphs} paragraphs (loaded ${time(loaded, TimestampStyles.RelativeTime)}).`;
  switch (outcome.status) {
    case "busy":
      return `A reload is already running; this one was not started. ${now}`;
    case "reloaded": {
      const { articles, paragraphs } = outcome.changes;
      const list = (label: string, slugs: string[]) =>
        slugs.length === 0
          ? []
          : [`${label} (${slugs.length}): ${slugs.map((s) => `\`${s}\``).join(", ")}`];
      const changed = [
        ...list("Added", articles.added),
        ...list("Removed", articles.removed),
        ...list("Changed", articles.changed),
      ];
      return [
        `✅ Reloaded in ${outcome.durationMs} ms.`,
        ...(changed.length > 0 ? changed : ["No article changed."]),
        `Paragraphs: ${paragraphs.added} added, ${paragraphs.removed} removed, ${paragraphs.changed} changed.`,
        now,
      ].join("\n");
    }
    case "failed": {
      const shown: string[] = [];
      let used = 0;
      for (const problem of outcome.problems) {
        const line = formatProblem(problem);
        if (used + line.length > 1200) break;
        shown.push(line);
        used += line.length + 1;
      }
      const more = outcome.problems.length - shown.length;
      return [
        `❌ Reload failed: ${outcome.problems.length} problem${outcome.problems.length === 1 ? "" : "s"}. Nothing changed — the previous index is still serving.`,
        `\`\`\`\n${shown.join("\n").replace(/```/g, "'''")}\n\`\`\``,
        ...(more > 0 ? [`…and ${more} more. Run \`npm run check-seeds\` to see them all.`] : []),
        now,
      ].join("\n");
    }
  }
}
