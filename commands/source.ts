/**
 * /source [outlet] — the outlets and articles the answers come from, and when they were loaded.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
} from "discord.js";
import { IndexUnavailable } from "../src/core/desk.js";
import type { Command } from "../src/interactions/command.js";
import { sourcesPanel, unavailableStatus } from "../src/interactions/format.js";
import { outletChoices, resolveOutlet } from "../src/interactions/outlet.js";

const data = new SlashCommandBuilder()
  .setName("source")
  .setDescription("List the outlets and articles the answers come from")
  .addStringOption((o) =>
    o.setName("outlet").setDescription("Only this outlet's articles").setAutocomplete(true),
  )
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .toJSON();

const source = {
  data,

  async execute(context, options) {
    try {
      const sources = await context.desk.sources();
      const outlet = await resolveOutlet(context.desk, options.getString("outlet"));
      return { panel: sourcesPanel(sources, outlet) };
    } catch (error) {
      // The one place that says what state the index is in, so it says so rather than fail.
      if (error instanceof IndexUnavailable) return { notes: unavailableStatus(error) };
      throw error;
    }
  },

  async autocomplete(context, focused) {
    if (focused.name !== "outlet") return [];
    return outletChoices(context.desk, focused.value);
  },
} satisfies Command;

export default source;
