/**
 * /ask question:<text> [outlet:<name>] [private:<bool>] — the best passage and its citation,
 * with buttons to page through the next passages and to see what other outlets said, and, on
 * public answers while the question log is on, to vote the answer Helpful or Not helpful.
 * Every answer computed (by the command or by a button) is recorded in the question log.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
} from "discord.js";
import type { Answer, AnswerResult } from "../src/core/answer.js";
import { checkQuestion, MAX_QUESTION_LENGTH } from "../src/core/question.js";
import { declineMessage, outletMessage } from "../src/core/wording.js";
import type { AskVia } from "../src/insights/store.js";
import { formatButtonId, parseButtonId } from "../src/interactions/button-id.js";
import type {
  ButtonOutcome,
  Command,
  CommandContext,
  OptionReader,
} from "../src/interactions/command.js";
import { UserError } from "../src/interactions/command.js";
import { passageOf, questionTitle } from "../src/interactions/format.js";
import { LIMITS } from "../src/interactions/limits.js";
import { outletChoices, resolveOutlet } from "../src/interactions/outlet.js";
import type { Button, Reply } from "../src/interactions/reply.js";

const data = new SlashCommandBuilder()
  .setName("ask")
  .setDescription(
    "Ask about the Lee–Xi summit in Beijing (Jan 2026); answers quote and cite the news",
  )
  .addStringOption((o) =>
    o
      .setName("question")
      .setDescription("Your question, e.g. what phone did Lee use for the selfie?")
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_LENGTH)
      .setAutocomplete(true),
  )
  .addStringOption((o) =>
    o.setName("outlet").setDescription("Only answer from this outlet").setAutocomplete(true),
  )
  .addBooleanOption((o) => o.setName("private").setDescription("Show the answer only to you"))
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON();

/**
 * What a button under an answer does: go to passage n, show the other outlets (n = the page to
 * return to), or vote. A vote button carries the answer's question-log key instead of a
 * session, so that it keeps working after a restart.
 */
type Action = "page" | "outlets" | "helpful" | "unhelpful";

const VOTES = { helpful: "Helpful", unhelpful: "Not helpful" } as const;

function button(
  target: { session: string; action: Action; page: number },
  label: string,
  style: { primary?: boolean; disabled?: boolean } = {},
): Button {
  return { id: formatButtonId({ command: "ask", ...target }), label, ...style };
}

/** The answer at position `page` (0 = best), with the paging buttons, and the vote buttons when `askKey` is set. */
function pageView(
  question: string,
  outlet: string | undefined,
  results: AnswerResult[],
  page: number,
  key: string,
  askKey?: string,
): Reply {
  const index = Math.min(Math.max(0, page), results.length - 1);
  const result = results[index] as AnswerResult;
  return {
    session: key,
    title: questionTitle(question, outlet),
    passages: [passageOf(result, { index, of: results.length })],
    buttons: [
      button({ session: key, action: "page", page: Math.max(0, index - 1) }, "◀ Previous", {
        disabled: index === 0,
      }),
      button({ session: key, action: "page", page: index + 1 }, "Next passage ▶", {
        primary: true,
        disabled: index >= results.length - 1,
      }),
      button({ session: key, action: "outlets", page: index }, "Other outlets"),
      ...(askKey
        ? (["helpful", "unhelpful"] as const).map((action) =>
            button({ session: askKey, action, page: 0 }, VOTES[action]),
          )
        : []),
    ],
  };
}

/** Records one computed answer in the question log (a message to its thread; never waits). */
function record(
  context: CommandContext,
  key: string,
  question: string,
  outlet: string | undefined,
  via: AskVia,
  answer: Answer,
): void {
  const log = context.questionLog;
  if (!log.enabled) return;
  const top = answer.results[0]?.citation;
  const { guildId } = context.invoker;
  log.recordAsk({
    key,
    at: Date.now(),
    ...(guildId !== undefined && { guildId }),
    userId: context.invoker.id,
    question,
    ...(outlet !== undefined && { outlet }),
    via,
    answered: answer.answered,
    ...(answer.reason !== undefined && { reason: answer.reason }),
    ...(top && { slug: top.slug, paragraph: top.paragraph }),
    ...(answer.confidence !== undefined && { confidence: answer.confidence }),
  });
}

/** The best passage of each other outlet that covers the question. */
function outletsView(
  question: string,
  shown: AnswerResult | undefined,
  byOutlet: AnswerResult[],
  page: number,
  key: string,
): Reply {
  const others = byOutlet
    .filter((r) => r.citation.outlet !== shown?.citation.outlet)
    .slice(0, LIMITS.embeds);
  const back = button({ session: key, action: "page", page }, "◀ Back to the answer");
  if (others.length === 0) {
    return {
      session: key,
      title: questionTitle(question),
      notes: [
        `No other outlet covers this question${shown ? ` — only ${shown.citation.outlet} does` : ""}.`,
      ],
      passages: shown ? [passageOf(shown)] : [],
      buttons: [back],
    };
  }
  return {
    session: key,
    title: questionTitle(question),
    notes: [
      `What ${others.length === 1 ? "another outlet says" : `${others.length} other outlets say`}:`,
    ],
    passages: others.map((r) => passageOf(r)),
    buttons: [back],
  };
}

/** How people list the articles on Discord and in the console. */
const LIST_SOURCES = "/source";

/** The most closest passages shown for a question the coverage may not answer. */
const MAX_UNSURE = 3;

/**
 * The reply to a question the coverage does not answer with confidence: why, and what it
 * does cover; for "unsure", the closest passages, marked as not an answer.
 */
async function declined(
  context: CommandContext,
  question: string,
  answer: Answer,
  outlet?: string,
): Promise<Reply> {
  const reason = answer.reason ?? "no-match";
  const note = declineMessage(reason, await context.desk.sources(), {
    listSources: LIST_SOURCES,
    question,
    ...(outlet !== undefined && { outlet }),
    ...(answer.nearest !== undefined && { nearest: answer.nearest }),
  });
  const closest = reason === "unsure" ? answer.results.slice(0, MAX_UNSURE) : [];
  if (closest.length === 0) return { notes: [note] };
  return {
    title: questionTitle(question, outlet),
    notes: [note],
    passages: closest.map((r, index) => passageOf(r, { index, of: closest.length })),
    tentative: true,
  };
}

/** A vote on the answer whose question-log key is `askKey`; a second click replaces the first. */
function vote(
  context: CommandContext,
  askKey: string,
  action: "helpful" | "unhelpful",
): ButtonOutcome {
  if (!context.questionLog.enabled) {
    throw new UserError("votes-off", "Votes are not being recorded on this bot any more.");
  }
  context.questionLog.recordVote({
    askKey,
    userId: context.invoker.id,
    helpful: action === "helpful",
    at: Date.now(),
  });
  return { reply: { notes: ["Thanks — noted."] } };
}

const ask = {
  data,
  cooldown: true,
  ephemeral: (options: OptionReader) => options.getBoolean("private") === true,

  async execute(context, options) {
    const check = checkQuestion(options.getString("question"));
    if (!check.ok) throw new UserError(check.problem, check.message);
    const outlet = await resolveOutlet(context.desk, options.getString("outlet"));
    const answer = await context.desk.answer(
      check.question,
      outlet === undefined ? {} : { outlet },
    );
    const askKey = context.questionLog.newKey();
    record(context, askKey, check.question, outlet, "ask", answer);
    if (answer.reason === "unknown-outlet") {
      // The outlets changed (a reload) between reading the option and answering.
      throw new UserError(
        "unknown-outlet",
        outletMessage({ status: "unknown" }, outlet ?? "", await context.desk.sources()),
      );
    }
    if (!answer.answered) return declined(context, check.question, answer, outlet);
    // Votes are for answers everyone sees; a private answer has no vote buttons.
    const votable = context.questionLog.enabled && options.getBoolean("private") !== true;
    const key = context.sessions.create({
      question: check.question,
      ownerId: context.invoker.id,
      ...(outlet !== undefined && { outlet }),
      ...(votable && { askKey }),
    });
    return pageView(check.question, outlet, answer.results, 0, key, votable ? askKey : undefined);
  },

  async autocomplete(context, focused) {
    if (focused.name === "outlet") return outletChoices(context.desk, focused.value);
    if (focused.name !== "question") return [];
    return (await context.desk.suggest(focused.value)).map((s) => ({ name: s, value: s }));
  },

  async button(context: CommandContext, customId: string): Promise<ButtonOutcome> {
    const id = parseButtonId(customId);
    if (id?.command !== "ask" || !["page", "outlets", ...Object.keys(VOTES)].includes(id.action))
      throw new UserError(
        "bad-button",
        "That button doesn't belong to an answer I know. Ask again with /ask.",
      );
    const { session: key, action } = id;
    if (action === "helpful" || action === "unhelpful") return vote(context, key, action);
    const found = context.sessions.get(key, context.message ?? "");
    if (!found.ok && found.reason === "other-message") {
      throw new UserError(
        "other-message",
        "That button doesn't belong to this message. Use the buttons under the answer itself, or ask again with /ask.",
      );
    }
    if (!found.ok) {
      throw new UserError(
        "expired",
        "This answer has expired — its buttons stop working 30 minutes after the last click, or when I restart. Ask again with /ask.",
      );
    }
    const session = found.session;
    const { question, outlet } = session;
    const answer = await context.desk.answer(question, outlet === undefined ? {} : { outlet });
    // Paging and "Other outlets" compute the answer again: each is a row of its own.
    record(context, context.questionLog.newKey(), question, outlet, "button", answer);
    let view: Reply;
    if (!answer.answered) {
      // The articles changed since the question was asked (a reload) and no longer answer it.
      view = await declined(context, question, answer, outlet);
    } else {
      // Someone else's answer is left alone: they get their own copy, with their own buttons.
      const mine = session.ownerId === context.invoker.id;
      const viewKey = mine
        ? key
        : context.sessions.create({
            question,
            ownerId: context.invoker.id,
            ...(outlet !== undefined && { outlet }),
          });
      const page = Math.min(id.page, answer.results.length - 1);
      view =
        action === "outlets"
          ? outletsView(
              question,
              answer.results[page],
              await context.desk.answerByOutlet(question),
              page,
              viewKey,
            )
          : pageView(
              question,
              outlet,
              answer.results,
              page,
              viewKey,
              mine ? session.askKey : undefined,
            );
      if (!mine) return { reply: view };
    }
    return { update: view };
  },
} satisfies Command;

export default ask;
