/**
 * /insights [days] — admins only, private: what members asked over the last days, how much was
 * answered, the votes, the declined questions grouped by their words, and the answers voted
 * Not helpful with the passage they gave. Long lists page with buttons (the period is in the
 * button's id, so paging needs no memory and survives a restart).
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { buildReport, type InsightsReport } from "../src/insights/report.js";
import { formatButtonId, parseButtonId } from "../src/interactions/button-id.js";
import { type Command, type CommandContext, UserError } from "../src/interactions/command.js";
import type { Line, Reply } from "../src/interactions/reply.js";

const DEFAULT_DAYS = 7;
const MAX_DAYS = 3650;
/** Items (declined groups and voted-down answers together) on one page. */
const PAGE_SIZE = 10;
/** Pages a button can reach (its id holds a two-digit page). */
const MAX_PAGES = 100;
/** A question is cut to this many characters in a line. */
const QUESTION_ROOM = 150;

const data = new SlashCommandBuilder()
  .setName("insights")
  .setDescription("Admins: what members asked, what went unanswered, answers voted not helpful")
  .addIntegerOption((o) =>
    o
      .setName("days")
      .setDescription(`How many days back (default ${DEFAULT_DAYS})`)
      .setMinValue(1)
      .setMaxValue(MAX_DAYS),
  )
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON();

const cut = (text: string) =>
  text.length > QUESTION_ROOM ? `${text.slice(0, QUESTION_ROOM - 1)}…` : text;
const times = (n: number) => `${n}×`;

/** The problem the question log has, in a sentence. */
function problemLine(report: InsightsReport): Line | undefined {
  const p = report.problem;
  if (!p) return undefined;
  const counts = [
    p.waiting > 0 ? `${p.waiting} waiting to be written` : "",
    p.dropped > 0 ? `${p.dropped} dropped` : "",
  ].filter((s) => s !== "");
  return [
    { strong: "The question log has a problem: " },
    `${p.message} (since `,
    { time: p.since, style: "relative" },
    `${counts.length > 0 ? `; ${counts.join(", ")}` : ""}). Answers are not affected.`,
  ];
}

function items(report: InsightsReport): Array<{ section: 0 | 1; line: Line }> {
  const s = report.summary;
  if (!s) return [];
  return [
    ...s.declined.map((g) => ({
      section: 0 as const,
      line: [`${times(g.count)} `, { strong: cut(g.example) }] as Line,
    })),
    ...s.notHelpful.map((a) => ({
      section: 1 as const,
      line: [
        `${times(a.notHelpful)} Not helpful${a.helpful > 0 ? ` (${a.helpful} Helpful)` : ""}: `,
        { strong: cut(a.question) },
        a.slug ? ` — gave ${a.slug} ¶${a.paragraph ?? "?"}` : "",
        a.outlet ? ` (outlet: ${a.outlet})` : "",
      ] as Line,
    })),
  ];
}

/**
 * The report as a reply: page `page` of `pageSize` items, with paging buttons when there is
 * more than one page. The command line passes an unlimited page size.
 */
export function insightsReply(report: InsightsReport, page = 0, pageSize = PAGE_SIZE): Reply {
  const { days, summary } = report;
  const period = days === 1 ? "the last day" : `the last ${days} days`;
  const warning = problemLine(report);
  if (!summary) {
    return {
      title: `Questions in ${period}`,
      notes: warning ? [warning] : ["The question log has nothing to show."],
    };
  }
  const share = summary.asked === 0 ? 0 : Math.round((100 * summary.answered) / summary.asked);
  const header: Line = `${summary.asked} question${summary.asked === 1 ? "" : "s"} asked, ${share}% answered; votes: ${summary.votes.helpful} Helpful, ${summary.votes.notHelpful} Not helpful.`;
  const all = items(report);
  const pages = Math.min(MAX_PAGES, Math.max(1, Math.ceil(all.length / pageSize)));
  const index = Math.min(Math.max(0, page), pages - 1);
  const shown = all.slice(index * pageSize, (index + 1) * pageSize);
  const groups = [
    { heading: "Declined most often (grouped by their words)" as Line, section: 0 },
    { heading: "Voted Not helpful most often" as Line, section: 1 },
  ]
    .map(({ heading, section }) => ({
      heading,
      items: shown.filter((i) => i.section === section).map((i) => i.line),
    }))
    .filter((g) => g.items.length > 0);
  const button = (to: number, label: string, disabled: boolean) => ({
    id: formatButtonId({ command: "insights", session: `d${days}`, action: "page", page: to }),
    label,
    disabled,
  });
  return {
    title: `Questions in ${period}`,
    notes: [...(warning ? [warning] : []), header],
    ...(all.length > 0 && {
      panel: {
        title: pages > 1 ? `Page ${index + 1} of ${pages}` : "What to look at",
        header: [],
        groups,
        omitted: (count: number) => `… and ${count} more on this page that did not fit.`,
      },
    }),
    ...(pages > 1 && {
      buttons: [
        button(Math.max(0, index - 1), "◀ Previous", index === 0),
        { ...button(index + 1, "Next ▶", index >= pages - 1), primary: true },
      ],
    }),
  };
}

async function report(context: CommandContext, days: number): Promise<InsightsReport> {
  const { invoker, log, questionLog, desk } = context;
  if (!invoker.isAdmin) {
    log.warn({ command: "/insights", user: invoker.id }, "insights refused: not an admin");
    throw new UserError("not-admin", "Only server admins (with Manage Server) can see insights.");
  }
  if (!questionLog.enabled) {
    throw new UserError(
      "log-off",
      "The question log is off (QUESTION_LOG=off), so there is nothing to show.",
    );
  }
  return buildReport(days, await questionLog.summary(days), (texts) => desk.terms(texts));
}

const insights = {
  data,
  ephemeral: () => true,

  async execute(context, options) {
    const days = options.getInteger?.("days") ?? DEFAULT_DAYS;
    if (days < 1 || days > MAX_DAYS) {
      throw new UserError("bad-days", `days must be a whole number from 1 to ${MAX_DAYS}.`);
    }
    return insightsReply(await report(context, days));
  },

  async button(context, customId) {
    const id = parseButtonId(customId);
    const days = Number(/^d(\d{1,4})$/.exec(id?.session ?? "")?.[1] ?? Number.NaN);
    if (id?.command !== "insights" || id.action !== "page" || !(days >= 1 && days <= MAX_DAYS)) {
      throw new UserError("bad-button", "That button doesn't belong to a report I know.");
    }
    return { update: insightsReply(await report(context, days), id.page) };
  },
} satisfies Command;

export default insights;
