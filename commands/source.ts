/**
 * /source [outlet] — the outlets and articles the answers come from, and when they were loaded.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
} from "discord.js";
import { declineMessage } from "../src/core/wording.js";
import { type Command, UserError } from "../src/interactions/command.js";
import { sourcesPanel } from "../src/interactions/format.js";

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
    const sources = await context.desk.sources();
    const outlet = options.getString("outlet")?.trim() || undefined;
    if (outlet !== undefined && !sources.outlets.some((o) => o.name === outlet)) {
      throw new UserError("unknown-outlet", declineMessage("unknown-outlet", sources, outlet));
    }
    return { panel: sourcesPanel(sources, outlet) };
  },

  async autocomplete(context, focused) {
    if (focused.name !== "outlet") return [];
    const typed = focused.value.toLowerCase();
    return (await context.desk.outlets())
      .filter((name) => name.toLowerCase().includes(typed))
      .map((name) => ({ name, value: name }));
  },
} satisfies Command;

export default source;
