/**
 * /reload — admins only: read the articles again and swap in the new index. Hidden from
 * members without Manage Server, and checked again here, since Discord's hiding is only a
 * client-side default that server owners can change.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { type Command, UserError } from "../src/interactions/command.js";
import { reloadReport } from "../src/interactions/format.js";

const data = new SlashCommandBuilder()
  .setName("reload")
  .setDescription("Admins: reload the articles after adding, fixing or removing some")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON();

const reload = {
  data,
  slow: true,
  ephemeral: () => true,

  async execute(context) {
    const { invoker, log } = context;
    if (!invoker.isAdmin) {
      log.warn({ command: "/reload", user: invoker.id }, "reload refused: not an admin");
      throw new UserError(
        "not-admin",
        "Only server admins (with Manage Server) can reload the articles. Nothing was changed.",
      );
    }
    log.info({ command: "/reload", user: invoker.id }, "reload requested");
    const outcome = await context.desk.reload();
    if (outcome.status === "failed") {
      log.warn(
        { command: "/reload", user: invoker.id, problems: outcome.problems.length },
        "reload failed; old index kept",
      );
    } else {
      log.info({ command: "/reload", user: invoker.id, status: outcome.status }, "reload finished");
    }
    return { notes: reloadReport(outcome) };
  },
} satisfies Command;

export default reload;
