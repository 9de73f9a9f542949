/**
 * `npm run deploy-commands`: registers the slash commands with Discord — to DISCORD_GUILD_ID
 * when set (instant, for testing), globally otherwise (may take up to an hour to appear).
 * Run it when commands change, not on every start.
 */
import { REST, type RESTGetCurrentApplicationResult, Routes } from "discord.js";
import { plural } from "../core/wording.js";
import { configFromEnvironment } from "../environment.js";
import { loadCommands } from "../interactions/registry.js";
import { runScript } from "./run.js";

async function main(): Promise<number> {
  const config = configFromEnvironment();
  const { token, guildId, apiUrl } = config.discord;
  if (token === undefined) {
    process.stderr.write(
      "DISCORD_TOKEN is not set: put the bot's token in .env (see .env.example).\n",
    );
    return 1;
  }
  const commands = await loadCommands();
  const rest = new REST(apiUrl === undefined ? {} : { api: apiUrl }).setToken(token);
  const applicationId =
    config.discord.applicationId ??
    ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
  const body = [...commands.values()].map((c) => c.data);
  const route =
    guildId === undefined
      ? Routes.applicationCommands(applicationId)
      : Routes.applicationGuildCommands(applicationId, guildId);
  const registered = (await rest.put(route, { body })) as unknown[];
  const where =
    guildId === undefined ? "globally (may take up to an hour to show)" : `to server ${guildId}`;
  process.stdout.write(
    `Registered ${plural(registered.length, "command")} ${where}: ${[...commands.keys()].map((n) => `/${n}`).join(", ")}\n`,
  );
  return 0;
}

runScript(main, "Could not register the commands: ");
