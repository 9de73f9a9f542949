/**
 * What answers, sources and reload reports say, as {@link Reply} parts: plain text with its
 * meaning marked (emphasis, code, links, times). How that looks is up to each front end
 * (`discord/message.ts`, `console/render.ts`).
 */
import type { AddOutcome } from "../articles/add-and-reload.js";
import type { AnswerResult } from "../core/answer.js";
import type { IndexUnavailable, Sources } from "../core/desk.js";
import { formatNotice, formatProblem } from "../core/problem.js";
import { truncateAtWord } from "../core/text.js";
import { formatDate, plural } from "../core/wording.js";
import type { ReloadReport } from "./command.js";
import type { Line, Panel, Passage, Span } from "./reply.js";

/** A question is shown to this many characters at most. */
const QUESTION_ROOM = 400;
/** An outlet name as typed is shown to this many characters at most. */
const OUTLET_ROOM = 100;
/** How many characters of problems a reload report lists before it says how many more. */
const PROBLEMS_ROOM = 1200;
/** The same for the notes on ignored files, which matter less. */
const NOTICES_ROOM = 400;

/** The question, quoted, above the answer. */
export function questionTitle(question: string, outlet?: string): Line {
  return [
    { strong: "Q:" },
    " ",
    truncateAtWord(question, QUESTION_ROOM),
    ...(outlet === undefined ? [] : [" (from ", truncateAtWord(outlet, OUTLET_ROOM), " only)"]),
  ];
}

/** One passage of the answer, with its citation and, when paging, its place among them. */
export function passageOf(result: AnswerResult, position?: Passage["position"]): Passage {
  return {
    text: result.text,
    highlight: result.highlight,
    citation: result.citation,
    ...(position !== undefined && { position }),
  };
}

/** `/source`: the outlets, each with its articles linked, dates and paragraph counts. */
export function sourcesPanel(sources: Sources, outlet?: string): Panel {
  const loadedAt = sources.loadedAt;
  const outlets =
    outlet === undefined ? sources.outlets : sources.outlets.filter((o) => o.name === outlet);
  const articleCount = outlets.reduce((n, o) => n + o.articles.length, 0);
  const paragraphCount = outlets.reduce(
    (n, o) => n + o.articles.reduce((m, a) => m + a.paragraphs, 0),
    0,
  );
  const header: Span[] = [
    `${outlets.length} outlet${outlets.length === 1 ? "" : "s"}, ${articleCount} article${articleCount === 1 ? "" : "s"}, ` +
      `${paragraphCount} paragraphs. Index loaded `,
    { time: loadedAt, style: "date-time" },
    " (",
    { time: loadedAt, style: "relative" },
    ").",
  ];
  return {
    title: "Sources",
    header: [header],
    groups: outlets.map((o) => ({
      heading: [{ strong: o.name }],
      items: o.articles.map((a) => [
        "• ",
        { link: truncateAtWord(a.headline, 120), url: a.url },
        ` — ${formatDate(a.published)} · ${a.paragraphs} ¶`,
      ]),
    })),
    omitted: (count) => [
      `…and ${count} more article${count === 1 ? "" : "s"}. Use `,
      { code: "/source outlet:" },
      " to list one outlet.",
    ],
  };
}

/** `/source` while the index is unavailable: why, when it comes back, and with what. */
export function unavailableStatus(error: IndexUnavailable): Line[] {
  const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  const serving = error.serving;
  return [
    `⚠️ ${message}.`,
    ...(serving
      ? [
          [
            `When it is back it serves the same ${serving.articles} articles, ${serving.paragraphs} paragraphs (loaded `,
            { time: serving.loadedAt, style: "relative" },
            ").",
          ] satisfies Span[],
        ]
      : []),
  ];
}

/**
 * What an admin sees after `/add-article` wrote a file: the article, then the reload's report.
 * A refusal before anything was written is a plain problem message instead.
 */
export function addArticleReport(
  outcome: Exclude<AddOutcome<ReloadReport>, { status: "refused" }>,
): Line[] {
  const { file, article } = outcome.added;
  const dropped = article.dropped.length;
  const described: Span[] = [
    { strong: article.outlet },
    ` — “${truncateAtWord(article.headline, 200)}”, ${formatDate(article.published)}, `,
    `${article.paragraphs.length} paragraph${article.paragraphs.length === 1 ? "" : "s"}`,
    dropped > 0 ? ` (${dropped} line${dropped === 1 ? "" : "s"} of page chrome dropped).` : ".",
  ];
  const head: Line[] =
    outcome.status === "added"
      ? [["✅ Added ", { code: file }, ": ", ...described]]
      : [
          [
            "❌ Not added: the reload failed, so ",
            { code: file },
            " was taken out again. ",
            ...described,
          ],
        ];
  return [...head, ...reloadReport(outcome.reload)];
}

/** What an admin sees after `/reload`. */
export function reloadReport(outcome: ReloadReport): Line[] {
  const report = reloadOutcomeLines(outcome);
  const shards = outcome.shards;
  if (!shards || shards.total <= 1) return report;
  const tally =
    shards.reloaded === shards.total
      ? `All ${shards.total} shards reloaded.`
      : `Shards: ${shards.reloaded} of ${shards.total} reloaded, ${shards.failed} failed, ${shards.busy} already reloading.`;
  return [...report, tally];
}

/** Lines as a block, as many as fit in `room` characters, then how many more there are. */
function listed(lines: string[], room: number): Line[] {
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length > room) break;
    shown.push(line);
    used += line.length + 1;
  }
  const more = lines.length - shown.length;
  return [
    [{ block: shown }],
    ...(more > 0
      ? [[`…and ${more} more. Run `, { code: "npm run check-seeds" }, " to see them all."] as Line]
      : []),
  ];
}

/** Files the reload ignored, and names that break the naming rule: told whatever the outcome. */
function noticeLines(outcome: ReloadReport): Line[] {
  const notices = outcome.status === "busy" ? [] : (outcome.notices ?? []);
  if (notices.length === 0) return [];
  return [
    `ℹ️ ${plural(notices.length, "note")}:`,
    ...listed(notices.map(formatNotice), NOTICES_ROOM),
  ];
}

function reloadOutcomeLines(outcome: ReloadReport): Line[] {
  return [...outcomeLines(outcome), ...noticeLines(outcome)];
}

function outcomeLines(outcome: ReloadReport): Line[] {
  const serving = outcome.serving;
  const now: Span[] = [
    `Serving ${serving.articles} articles, ${serving.paragraphs} paragraphs (loaded `,
    { time: serving.loadedAt, style: "relative" },
    ").",
  ];
  switch (outcome.status) {
    case "busy":
      return [["A reload is already running; this one was not started. ", ...now]];
    case "reloaded": {
      const { articles, paragraphs } = outcome.changes;
      const list = (label: string, slugs: string[]): Line[] =>
        slugs.length === 0
          ? []
          : [
              [
                `${label} (${slugs.length}): `,
                ...slugs.flatMap((s, i): Span[] => (i === 0 ? [{ code: s }] : [", ", { code: s }])),
              ],
            ];
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
      ];
    }
    case "failed":
      return [
        `❌ Reload failed: ${plural(outcome.problems.length, "problem")}. Nothing changed — the previous index is still serving.`,
        ...listed(outcome.problems.map(formatProblem), PROBLEMS_ROOM),
        now,
      ];
  }
}
