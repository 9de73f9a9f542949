/**
 * /add-article — admins only: add an article from its link, then reload. The page is read off
 * the main thread, the file written, and the index reloaded as one transaction: if any step
 * fails the folder is put back and the old index keeps serving. Hidden from members without
 * Manage Server, and checked again here, as /reload is.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { type Command, UserError } from "../src/interactions/command.js";
import { addArticleReport } from "../src/interactions/format.js";

/** Long enough for any real article link; Discord allows up to 6000. */
const MAX_LINK_LENGTH = 2000;

const data = new SlashCommandBuilder()
  .setName("add-article")
  .setDescription("Admins: add an article from its link, then reload the articles")
  .addStringOption((o) =>
    o
      .setName("url")
      .setDescription("The article's link (http or https)")
      .setRequired(true)
      .setMaxLength(MAX_LINK_LENGTH),
  )
  .addBooleanOption((o) =>
    o
      .setName("replace")
      .setDescription("Overwrite an article already added from the same link (default: false)"),
  )
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON();

const addArticle = {
  data,
  slow: true,
  ephemeral: () => true,

  async execute(context, options) {
    const { invoker, log } = context;
    if (!invoker.isAdmin) {
      log.warn({ command: "/add-article", user: invoker.id }, "add-article refused: not an admin");
      throw new UserError(
        "not-admin",
        "Only server admins (with Manage Server) can add articles. Nothing was changed.",
      );
    }
    const link = (options.getString("url") ?? "").trim();
    if (link === "") throw new UserError("empty-link", "Please give the article's link.");
    if (link.length > MAX_LINK_LENGTH) {
      throw new UserError("long-link", "That link is too long to be an article's address.");
    }
    const replace = options.getBoolean("replace") ?? false;
    log.info({ command: "/add-article", user: invoker.id, link, replace }, "add-article requested");
    const outcome = await context.articles.add(link, () => context.desk.reload(), { replace });
    if (outcome.status === "refused") {
      log.info(
        { command: "/add-article", user: invoker.id, reason: outcome.reason },
        "add-article refused",
      );
      // The command line's flag has an option of its own here; the others do not.
      const said = outcome.reason.replace("pass --replace", "use replace:true");
      const reason = /[.?!]$/.test(said) ? said : `${said}.`;
      const flag = /\bpass --[a-z]+/.test(reason)
        ? " (That flag is for npm run add-article, on the server.)"
        : "";
      throw new UserError(
        "add-refused",
        `Could not add that article: ${reason}${flag} Nothing was changed.`,
      );
    }
    log.info(
      {
        command: "/add-article",
        user: invoker.id,
        status: outcome.status,
        file: outcome.added.file,
        reload: outcome.reload.status,
      },
      outcome.status === "added" ? "article added" : "article rolled back; old index kept",
    );
    return { notes: addArticleReport(outcome) };
  },
} satisfies Command;

export default addArticle;
